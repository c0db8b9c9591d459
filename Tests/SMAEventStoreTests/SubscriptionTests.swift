import Foundation
import SMAEventStore
import Testing

@Suite("Subscriptions: catch-up, caught-up marker, live, falling behind")
struct SubscriptionTests {
    /// Collects `count` events (and the markers in between) from a subscription.
    static func collect(_ subscription: EventSubscription, events count: Int) async throws -> (events: [RecordedEvent], markers: [LogPosition]) {
        var events: [RecordedEvent] = []
        var markers: [LogPosition] = []
        for try await message in subscription {
            switch message {
            case let .event(event): events.append(event)
            case let .caughtUp(position): markers.append(position)
            }
            if events.count == count { break }
        }
        return (events, markers)
    }

    @Test("catch-up then live: no gap, no duplicate, a marker at the hand-over", arguments: StoreKind.allCases)
    func catchUpThenLive(kind: StoreKind) async throws {
        try await kind.withStore(options: .init(liveTailCapacity: 8)) { store in
            for _ in 0..<50 { _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2)) }
            var iterator = store.subscribeToAll(from: .start, filter: .all).makeAsyncIterator()
            var positions: [UInt64] = []
            while positions.count < 100 {
                guard case let .event(event) = try await iterator.next() else { Issue.record("expected an event"); return }
                positions.append(event.position.value)
            }
            #expect(try await iterator.next() == .caughtUp(LogPosition(100)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<20 { _ = try await store.append(to: "t", expectedVersion: .any, events: Fixtures.events(1)) }
                }
                while positions.count < 120 {
                    if case let .event(event) = try await iterator.next() { positions.append(event.position.value) }
                }
                try await group.waitForAll()
            }
            #expect(positions == Array(1...120))
        }
    }

    @Test("a stream subscription sees only its stream, from a version", arguments: StoreKind.allCases)
    func streamSubscription(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for i in 0..<10 {
                _ = try await store.append(to: i % 2 == 0 ? "even" : "odd", expectedVersion: .any, events: Fixtures.events(1))
            }
            let result = try await withThrowingTaskGroup(of: ([RecordedEvent], [LogPosition])?.self) { group in
                group.addTask { try await Self.collect(store.subscribe(to: "even", from: 3), events: 6) }
                group.addTask {
                    for _ in 0..<3 { _ = try await store.append(to: "even", expectedVersion: .any, events: Fixtures.events(1)) }
                    return nil
                }
                var collected: ([RecordedEvent], [LogPosition])?
                for try await value in group { if let value { collected = value } }
                return try #require(collected)
            }
            #expect(result.0.map(\.streamVersion) == [3, 4, 5, 6, 7, 8])
            #expect(result.0.allSatisfy { $0.streamID == "even" })
            #expect(result.1.count == 1)
        }
    }

    @Test("a filtered $all subscription delivers only matching events", arguments: StoreKind.allCases)
    func filteredSubscription(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for i in 0..<40 {
                _ = try await store.append(to: StreamID(i % 4 == 0 ? "vehicle-\(i)" : "order-\(i)"), expectedVersion: .any, events: Fixtures.events(1))
            }
            let (events, markers) = try await Self.collect(store.subscribeToAll(from: .start, filter: EventFilter(streamIDPrefix: "vehicle-")), events: 10)
            #expect(events.map(\.position.value) == stride(from: 1, through: 40, by: 4).map(UInt64.init))
            #expect(markers.isEmpty)
        }
    }

    @Test("a slow consumer falls back to disk and still sees every event exactly once")
    func slowConsumerFallsBehind() async throws {
        try await StoreKind.file.withStore(options: .init(segmentSize: 16 << 10, liveTailCapacity: 32)) { store in
            _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(5))
            let total = 2_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<(total - 5) / 5 {
                        _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(5))
                    }
                }
                var iterator = store.subscribeToAll(from: .start, filter: .all).makeAsyncIterator()
                var positions: [UInt64] = []
                var markers = 0
                while positions.count < total {
                    switch try await iterator.next() {
                    case let .event(event)?:
                        positions.append(event.position.value)
                        if positions.count % 100 == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    case .caughtUp?: markers += 1
                    case nil: Issue.record("subscription ended early"); return
                    }
                }
                #expect(positions == Array(1...UInt64(total)))
                #expect(markers >= 1)
                try await group.waitForAll()
            }
        }
    }

    @Test("closing the store ends subscriptions with an error; cancelling ends them quietly")
    func closeAndCancel() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        let cancelled = Task {
            var count = 0
            for try await _ in store.subscribeToAll(from: .start) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        #expect(try await cancelled.value == 1) // only the caught-up marker
        let waiting = Task { () -> EventStoreError? in
            do {
                for try await _ in store.subscribeToAll(from: .start) {}
                return nil
            } catch {
                return error as? EventStoreError
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        await store.close()
        let error = await waiting.value
        guard case .closed? = error else { Issue.record("expected .closed, got \(String(describing: error))"); return }
    }
}
