import Foundation
import SMAEventStore
import Testing

/// Property: under random interleavings of concurrent appenders and subscribers (joining at random
/// positions, some slow), every subscriber sees exactly the log from its start position, in order.
@Suite("Property: concurrent appends and subscribers")
struct ConcurrencyPropertyTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Plan: Sendable {
        var appends: [[(stream: String, count: Int)]]
        var subscribers: [(start: UInt64, delayEvery: Int, filterPrefix: String?)]
        var total: Int
    }

    static func plan(seed: UInt64) -> Plan {
        var random = SeededGenerator(state: seed)
        let writers = Int.random(in: 1...12, using: &random)
        var total = 0
        let appends = (0..<writers).map { _ in
            (0..<Int.random(in: 5...60, using: &random)).map { _ -> (String, Int) in
                let count = Int.random(in: 1...5, using: &random)
                total += count
                return ("stream-\(Int.random(in: 0...7, using: &random))", count)
            }
        }
        let subscribers = (0..<Int.random(in: 1...6, using: &random)).map { _ in
            (UInt64.random(in: 1...UInt64(max(total / 2, 1)), using: &random), Int.random(in: 0...3, using: &random) == 0 ? 7 : 0,
             Bool.random(using: &random) ? "stream-1" : nil)
        }
        return Plan(appends: appends, subscribers: subscribers, total: total)
    }

    @Test("every subscriber sees exactly the log, in order", arguments: StoreKind.allCases, Array(UInt64(1)...12))
    func subscribersSeeTheLog(kind: StoreKind, seed: UInt64) async throws {
        let plan = Self.plan(seed: seed)
        try await kind.withStore(options: .init(segmentSize: 32 << 10, liveTailCapacity: 24)) { store in
            let seen = try await withThrowingTaskGroup(of: (Int, [RecordedEvent])?.self) { group in
                for (index, subscriber) in plan.subscribers.enumerated() {
                    group.addTask {
                        let filter = EventFilter(streamIDPrefix: subscriber.filterPrefix)
                        var events: [RecordedEvent] = []
                        for try await message in store.subscribeToAll(from: LogPosition(subscriber.start), filter: filter) {
                            guard case let .event(event) = message else { continue }
                            events.append(event)
                            // The sentinel, appended after every writer finished, passes every filter.
                            if event.eventType == "Sentinel" { break }
                            if subscriber.delayEvery > 0 && events.count % subscriber.delayEvery == 0 { try await Task.sleep(for: .milliseconds(1)) }
                        }
                        return (index, events)
                    }
                }
                group.addTask {
                    try await withThrowingTaskGroup(of: Void.self) { writers in
                        for writer in plan.appends {
                            writers.addTask {
                                for append in writer {
                                    _ = try await store.append(to: StreamID(append.stream), expectedVersion: .any, events: Fixtures.events(append.count))
                                }
                            }
                        }
                        try await writers.waitForAll()
                    }
                    _ = try await store.append(to: "stream-1-end", expectedVersion: .noStream, events: [Fixtures.event("Sentinel")])
                    return nil
                }
                var seen: [Int: [RecordedEvent]] = [:]
                for try await result in group { if let (index, events) = result { seen[index] = events } }
                return seen
            }
            let log = try await Fixtures.readAll(store)
            #expect(log.count == plan.total + 1)
            #expect(log.map(\.position.value) == Array(1...UInt64(plan.total + 1)))
            for (index, subscriber) in plan.subscribers.enumerated() {
                let filter = EventFilter(streamIDPrefix: subscriber.filterPrefix)
                let expected = log.filter { $0.position.value >= subscriber.start && filter.matches($0) }
                #expect(seen[index]?.map(\.eventID) == expected.map(\.eventID), "subscriber \(index) from \(subscriber.start)")
            }
        }
    }
}
