import Foundation
import SMAEventStore
import Testing

@Suite("Reads: streams forward and backward, $all with filters")
struct ReadTests {
    @Test("a stream reads forward from a version and backward from its end", arguments: StoreKind.allCases)
    func streamReads(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let written = Fixtures.events(10)
            for (i, event) in written.enumerated() {
                _ = try await store.append(to: "s", expectedVersion: .exact(UInt64(i)), events: [event])
                _ = try await store.append(to: "other", expectedVersion: .any, events: Fixtures.events(1))
            }
            let forward = try await store.readStream("s", from: 4, maxCount: 3, direction: .forward)
            #expect(forward.map(\.streamVersion) == [4, 5, 6])
            #expect(forward.map(\.eventID) == written[3..<6].map(\.eventID))
            #expect(forward.map(\.position.value) == [7, 9, 11])
            let backward = try await store.readStream("s", from: .max, maxCount: 4, direction: .backward)
            #expect(backward.map(\.streamVersion) == [10, 9, 8, 7])
            let tail = try await store.readStream("s", from: 2, maxCount: 5, direction: .backward)
            #expect(tail.map(\.streamVersion) == [2, 1])
            #expect(try await store.readStream("s", from: 11, maxCount: 5, direction: .forward).isEmpty)
            #expect(try await store.readStream("none", from: 1, maxCount: 5, direction: .forward).isEmpty)
        }
    }

    @Test("recorded events carry every field written", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let event = Fixtures.event("VehicleRegistered", payloadSize: 300, commandID: "cmd-42")
            let before = Date()
            _ = try await store.append(to: "vehicle-ü-1", expectedVersion: .noStream, events: [event])
            let read = try #require(try await store.readStream("vehicle-ü-1", from: 1, maxCount: 1, direction: .forward).first)
            #expect(read.eventID == event.eventID)
            #expect(read.eventType == "VehicleRegistered")
            #expect(read.schemaVersion == 2)
            #expect(read.metadata == event.metadata)
            #expect(read.payload == event.payload)
            #expect(read.streamID == "vehicle-ü-1")
            #expect(abs(read.timestamp.timeIntervalSince(before)) < 5)
        }
    }

    @Test("$all reads in pages and filters by stream prefix and event type", arguments: StoreKind.allCases)
    func allReads(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for i in 0..<30 {
                _ = try await store.append(to: StreamID(i % 3 == 0 ? "vehicle-\(i)" : "order-\(i)"), expectedVersion: .any,
                                           events: [Fixtures.event(i % 2 == 0 ? "Even" : "Odd")])
            }
            let all = try await Fixtures.readAll(store)
            #expect(all.map(\.position.value) == Array(1...30))
            let page = try await store.readAll(from: LogPosition(11), filter: .all, maxCount: 5)
            #expect(page.events.map(\.position.value) == [11, 12, 13, 14, 15])
            #expect(page.nextPosition == LogPosition(16))
            #expect(!page.isEndOfLog)
            let vehicles = try await Fixtures.readAll(store, filter: EventFilter(streamIDPrefix: "vehicle-"))
            #expect(vehicles.count == 10)
            #expect(vehicles.allSatisfy { $0.streamID.rawValue.hasPrefix("vehicle-") })
            let evenOrders = try await Fixtures.readAll(store, filter: EventFilter(streamIDPrefix: "order-", eventTypes: ["Even"]))
            #expect(evenOrders.map(\.position.value) == (1...30).filter { ($0 - 1) % 3 != 0 && ($0 - 1) % 2 == 0 }.map(UInt64.init))
            let end = try await store.readAll(from: LogPosition(31), filter: .all, maxCount: 5)
            #expect(end.events.isEmpty && end.isEndOfLog)
        }
    }

    @Test("reads beyond the in-memory tail come from disk, across segment files")
    func diskReadsAcrossSegments() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = FileEventStore.Options(segmentSize: 8 << 10, liveTailCapacity: 16)
        var store = try FileEventStore.open(directory: directory.path, options: options)
        var written: [UUID] = []
        for _ in 0..<100 {
            let events = Fixtures.events(3)
            written += events.map(\.eventID)
            _ = try await store.append(to: "s", expectedVersion: .any, events: events)
        }
        #expect(try directory.segmentPaths().count > 3)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == written)
        await store.close()
        store = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == written)
        #expect(try await store.readStream("s", from: 1, maxCount: 1000, direction: .forward).map(\.eventID) == written)
        await store.close()
    }

    @Test("a rare filter examines a bounded share of the log per read, and paging on finds exactly its events",
          arguments: [16, 4096])
    func boundedScan(liveTail: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // With a 16-event tail the reads come from disk; with 4,096 from memory.
        let options = FileEventStore.Options(liveTailCapacity: liveTail, maxEventsExaminedPerRead: 10)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        for i in 0..<35 {
            _ = try await store.append(to: StreamID("a-\(i)"), expectedVersion: .noStream, events: Fixtures.events(1))
        }
        let rare = Fixtures.events(1)
        _ = try await store.append(to: "b-1", expectedVersion: .noStream, events: rare)
        let filter = EventFilter(streamIDPrefix: "b-")
        var position = LogPosition.start
        var found: [UUID] = []
        var reads = 0
        while true {
            let slice = try await store.readAll(from: position, filter: filter, maxCount: 100)
            reads += 1
            found += slice.events.map(\.eventID)
            #expect(slice.nextPosition.value - position.value <= 10, "examined more than the budget")
            position = slice.nextPosition
            if slice.isEndOfLog { break }
        }
        #expect(found == rare.map(\.eventID))
        #expect(reads == 4)  // positions 1-10, 11-20, 21-30, 31-36
        // A subscription with the same filter delivers exactly that event, then the marker.
        var messages: [SubscriptionMessage] = []
        for try await message in store.subscribeToAll(from: .start, filter: filter) {
            messages.append(message)
            if case .caughtUp = message { break }
        }
        #expect(messages.count == 2)
        if case let .event(event) = messages.first { #expect(event.eventID == rare[0].eventID) } else { Issue.record("no event first") }
        if case let .caughtUp(head) = messages.last { #expect(head.value == 36) } else { Issue.record("no marker last") }
        await store.close()
    }
}
