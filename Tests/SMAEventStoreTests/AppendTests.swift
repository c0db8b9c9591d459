import Foundation
import SMAEventStore
import Testing

@Suite("Append: expected versions and idempotency")
struct AppendTests {
    @Test("the file store counts appends, events, syncs and the time spent in fdatasync")
    func statistics() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        #expect(store.statistics.syncs == 0 && store.statistics.syncDuration == .zero)
        // One append at a time: each is its own batch, with its own sync.
        for _ in 0..<5 { _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2)) }
        let statistics = store.statistics
        #expect(statistics.appends == 5 && statistics.events == 10 && statistics.syncs == 5)
        #expect(statistics.syncDuration > .zero)
        await store.close()
    }

    @Test("positions and stream versions start at 1 and are dense", arguments: StoreKind.allCases)
    func densePositions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let first = try await store.append(to: "a", expectedVersion: .noStream, events: Fixtures.events(3))
            #expect(first == AppendResult(firstPosition: LogPosition(1), lastPosition: LogPosition(3), nextExpectedVersion: 3))
            let second = try await store.append(to: "b", expectedVersion: .any, events: Fixtures.events(1))
            #expect(second == AppendResult(firstPosition: LogPosition(4), lastPosition: LogPosition(4), nextExpectedVersion: 1))
            let third = try await store.append(to: "a", expectedVersion: .exact(3), events: Fixtures.events(2))
            #expect(third == AppendResult(firstPosition: LogPosition(5), lastPosition: LogPosition(6), nextExpectedVersion: 5))
            #expect(await store.headPosition == LogPosition(6))
            #expect(await store.streamVersion("a") == 5)
            #expect(await store.streamVersion("missing") == 0)
        }
    }

    @Test("a version mismatch fails with the stream's current version and writes nothing", arguments: StoreKind.allCases)
    func wrongExpectedVersion(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.append(to: "a", expectedVersion: .noStream, events: Fixtures.events(2))
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "a", expected: .exact(1), current: 2)) {
                try await store.append(to: "a", expectedVersion: .exact(1), events: Fixtures.events(1))
            }
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "a", expected: .noStream, current: 2)) {
                try await store.append(to: "a", expectedVersion: .noStream, events: Fixtures.events(1))
            }
            await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "b", expected: .exact(3), current: 0)) {
                try await store.append(to: "b", expectedVersion: .exact(3), events: Fixtures.events(1))
            }
            #expect(await store.headPosition == LogPosition(2))
        }
    }

    @Test("retrying with the same event ids returns the original result and writes nothing", arguments: StoreKind.allCases)
    func idempotentByEventIDs(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let events = Fixtures.events(3)
            let original = try await store.append(to: "a", expectedVersion: .noStream, events: events)
            _ = try await store.append(to: "b", expectedVersion: .noStream, events: Fixtures.events(1))
            // The retry carries the stale expected version of the first attempt: still the original result.
            let retry = try await store.append(to: "a", expectedVersion: .noStream, events: events)
            #expect(!original.deduplicated && retry.deduplicated)
            #expect(retry.written == original)
            #expect(await store.headPosition == LogPosition(4))
            #expect(await store.streamVersion("a") == 3)
        }
    }

    @Test("retrying with the same command id returns the original result", arguments: StoreKind.allCases)
    func idempotentByCommandID(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let original = try await store.append(to: "a", expectedVersion: .noStream, events: [Fixtures.event(commandID: "cmd-1"), Fixtures.event()])
            let retry = try await store.append(to: "a", expectedVersion: .noStream, events: [Fixtures.event(commandID: "cmd-1"), Fixtures.event()])
            #expect(!original.deduplicated && retry.deduplicated)
            #expect(retry.written == original)
            #expect(await store.headPosition == LogPosition(2))
        }
    }

    @Test("reusing one event id in a different append is rejected", arguments: StoreKind.allCases)
    func duplicateEventIDInOtherAppend(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let shared = Fixtures.event()
            _ = try await store.append(to: "a", expectedVersion: .any, events: [Fixtures.event(), shared])
            await #expect(throws: EventStoreError.duplicateEventID(eventID: shared.eventID, position: LogPosition(2))) {
                try await store.append(to: "a", expectedVersion: .any, events: [shared])
            }
            #expect(await store.headPosition == LogPosition(2))
        }
    }

    @Test("malformed appends are rejected", arguments: StoreKind.allCases)
    func invalidAppends(kind: StoreKind) async throws {
        try await kind.withStore { store in
            await #expect(throws: EventStoreError.self) { try await store.append(to: "a", expectedVersion: .any, events: []) }
            await #expect(throws: EventStoreError.self) { try await store.append(to: "", expectedVersion: .any, events: Fixtures.events(1)) }
            let event = Fixtures.event()
            await #expect(throws: EventStoreError.self) { try await store.append(to: "a", expectedVersion: .any, events: [event, event]) }
            #expect(await store.headPosition == LogPosition.none)
        }
    }

    @Test("concurrent appends to one stream with exact versions: exactly one wins each version", arguments: StoreKind.allCases)
    func concurrentExactVersions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask { (try? await store.append(to: "race", expectedVersion: .noStream, events: Fixtures.events(1))) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(await store.streamVersion("race") == 1)
        }
    }
}

extension AppendResult {
    /// The result without the retry marker: where the events landed.
    var written: AppendResult {
        var result = self
        result.deduplicated = false
        return result
    }
}
