import Foundation
import Synchronization

/// An event store in memory, with the same semantics as ``FileEventStore`` (versions, idempotency,
/// filters, subscriptions) but no durability: a test double for code that depends on ``EventStore``.
public final class InMemoryEventStore: EventStore {
    private struct StoredEvent {
        let event: RecordedEvent
        let appendIndex: UInt32
        let appendCount: UInt32
    }

    private struct State {
        var index = StoreIndex()
        var events: [StoredEvent] = []
    }

    private let state = Mutex(State())
    private let notifier = HeadNotifier(head: 0)

    public init() {}

    public func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData]) async throws(EventStoreError) -> AppendResult {
        let (result, head) = state.withLock { state -> (Result<AppendResult, EventStoreError>, UInt64?) in
            var planner = AppendPlanner(head: state.index.head)
            switch planner.plan(requestIndex: 0, stream: stream, expected: expectedVersion, events: events, index: state.index) {
            case let .failed(error):
                return (.failure(error), nil)
            case .sameAs:
                return (.failure(.invalidAppend(reason: "unexpected retry within a single append")), nil)
            case let .duplicate(position, expectedCount):
                let stored = state.events[Int(position - 1)]
                guard var result = AppendPlanner.storedResult(
                    position: position, appendIndex: stored.appendIndex, appendCount: stored.appendCount,
                    streamVersion: stored.event.streamVersion, expectedCount: expectedCount
                ) else {
                    return (.failure(.duplicateEventID(eventID: events[0].eventID, position: LogPosition(position))), nil)
                }
                result.deduplicated = true
                return (.success(result), nil)
            case let .accepted(first, firstVersion):
                let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
                for (i, data) in events.enumerated() {
                    let position = first + UInt64(i)
                    let event = RecordedEvent(
                        position: LogPosition(position), streamID: stream, streamVersion: firstVersion + UInt64(i),
                        eventID: data.eventID, eventType: data.eventType, schemaVersion: data.schemaVersion,
                        timestamp: now, metadata: data.metadata, payload: data.payload
                    )
                    state.events.append(StoredEvent(event: event, appendIndex: UInt32(i), appendCount: UInt32(events.count)))
                    state.index.add(position: position, location: position, stream: stream, eventID: data.eventID,
                                    commandID: i == 0 ? data.metadata.commandID : nil)
                }
                let count = UInt64(events.count)
                return (.success(AppendResult(firstPosition: LogPosition(first), lastPosition: LogPosition(first + count - 1),
                                              nextExpectedVersion: firstVersion + count - 1)), state.index.head)
            }
        }
        if let head { notifier.advance(to: head) }
        return try result.get()
    }

    public func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection = .forward) async throws(EventStoreError) -> [RecordedEvent] {
        streamEvents(stream, from: version, maxCount: maxCount, direction: direction)
    }

    public func readAll(from position: LogPosition, filter: EventFilter = .all, maxCount: Int) async throws(EventStoreError) -> ReadAllSlice {
        allEvents(from: position.value, filter: filter, maxCount: maxCount).0
    }

    public func subscribeToAll(from position: LogPosition, filter: EventFilter = .all) -> EventSubscription {
        EventSubscription(source: self, target: .all(filter), start: max(position.value, 1))
    }

    public func subscribe(to stream: StreamID, from version: UInt64) -> EventSubscription {
        EventSubscription(source: self, target: .stream(stream), start: max(version, 1))
    }

    public func appendResult(forCommand commandID: String) async -> AppendResult? {
        state.withLock { state -> AppendResult? in
            guard let position = state.index.position(ofCommand: commandID) else { return nil }
            let stored = state.events[Int(position - 1)]
            var result = AppendPlanner.storedResult(position: position, appendIndex: stored.appendIndex, appendCount: stored.appendCount,
                                                    streamVersion: stored.event.streamVersion, expectedCount: nil)
            result?.stream = stored.event.streamID
            return result
        }
    }

    public func streamVersion(_ stream: StreamID) async -> UInt64 {
        state.withLock { $0.index.version(of: stream) }
    }

    public var headPosition: LogPosition {
        get async { LogPosition(state.withLock { $0.index.head }) }
    }

    private func streamEvents(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection) -> [RecordedEvent] {
        state.withLock { state in
            guard maxCount > 0, let positions = state.index.positions(of: stream), !positions.isEmpty else { return [] }
            let count = UInt64(positions.count)
            switch direction {
            case .forward:
                let first = max(version, 1)
                guard first <= count else { return [] }
                return (first...min(count, first + UInt64(maxCount) - 1)).map { state.events[Int(positions[Int($0 - 1)] - 1)].event }
            case .backward:
                guard version >= 1 else { return [] }
                let first = min(version, count)
                let last = first >= UInt64(maxCount) ? first - UInt64(maxCount) + 1 : 1
                return (last...first).reversed().map { state.events[Int(positions[Int($0 - 1)] - 1)].event }
            }
        }
    }

    private func allEvents(from position: UInt64, filter: EventFilter, maxCount: Int) -> (ReadAllSlice, UInt64) {
        state.withLock { state in
            var next = max(position, 1)
            let head = state.index.head
            var events: [RecordedEvent] = []
            while next <= head && events.count < maxCount {
                let event = state.events[Int(next - 1)].event
                if filter.matches(event) { events.append(event) }
                next += 1
            }
            return (ReadAllSlice(events: events, nextPosition: LogPosition(next), isEndOfLog: next > head), head)
        }
    }
}

extension InMemoryEventStore: SubscriptionSource {
    func subscriptionPage(_ target: SubscriptionTarget, from: UInt64, maxCount: Int) throws(EventStoreError) -> SubscriptionPage {
        switch target {
        case let .all(filter):
            let (slice, head) = allEvents(from: from, filter: filter, maxCount: maxCount)
            return SubscriptionPage(events: slice.events, next: slice.nextPosition.value, head: head, reachedEnd: slice.isEndOfLog, fromDisk: false)
        case let .stream(stream):
            let head = state.withLock { $0.index.head }
            let events = streamEvents(stream, from: from, maxCount: maxCount, direction: .forward)
            let next = events.last.map { $0.streamVersion + 1 } ?? max(from, 1)
            let version = state.withLock { $0.index.version(of: stream) }
            return SubscriptionPage(events: events, next: next, head: max(head, events.last?.position.value ?? 0), reachedEnd: next > version, fromDisk: false)
        }
    }

    func waitForHead(beyond position: UInt64) async -> HeadNotifier.Outcome {
        await notifier.wait(beyond: position)
    }
}
