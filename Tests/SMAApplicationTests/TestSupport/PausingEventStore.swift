import SMAEventStore
import Synchronization

/// An ``InMemoryEventStore`` whose next append can be held after it is written but before it
/// returns, to interleave a command's append with another command deterministically.
final class PausingEventStore: EventStore {
    private struct State {
        var pauseNextAppend = false
        var paused: CheckedContinuation<Void, Never>?
        var hideCommandResults = false
    }

    let inner = InMemoryEventStore()
    private let state = Mutex(State())

    /// Holds the next append, once written, until ``resume()``.
    func pauseNextAppend() { state.withLock { $0.pauseNextAppend = true } }

    /// Makes `appendResult(forCommand:)` answer nil, as it does for a concurrent execution of
    /// the same command that looked before the first one was written.
    func hideCommandResults() { state.withLock { $0.hideCommandResults = true } }

    /// Whether an append is being held.
    var isPaused: Bool { state.withLock { $0.paused != nil } }

    /// Lets the held append return.
    func resume() {
        let paused = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.paused = nil }
            return state.paused
        }
        paused?.resume()
    }

    func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData]) async throws(EventStoreError) -> AppendResult {
        let result = try await inner.append(to: stream, expectedVersion: expectedVersion, events: events)
        let pause = state.withLock { state -> Bool in
            defer { state.pauseNextAppend = false }
            return state.pauseNextAppend
        }
        if pause {
            await withCheckedContinuation { continuation in state.withLock { $0.paused = continuation } }
        }
        return result
    }

    func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection) async throws(EventStoreError) -> [RecordedEvent] {
        try await inner.readStream(stream, from: version, maxCount: maxCount, direction: direction)
    }

    func readAll(from position: LogPosition, filter: EventFilter, maxCount: Int) async throws(EventStoreError) -> ReadAllSlice {
        try await inner.readAll(from: position, filter: filter, maxCount: maxCount)
    }

    func subscribeToAll(from position: LogPosition, filter: EventFilter) -> EventSubscription {
        inner.subscribeToAll(from: position, filter: filter)
    }

    func subscribe(to stream: StreamID, from version: UInt64) -> EventSubscription {
        inner.subscribe(to: stream, from: version)
    }

    func streamVersion(_ stream: StreamID) async -> UInt64 { await inner.streamVersion(stream) }

    var headPosition: LogPosition { get async { await inner.headPosition } }

    func appendResult(forCommand commandID: String) async -> AppendResult? {
        if state.withLock({ $0.hideCommandResults }) { return nil }
        return await inner.appendResult(forCommand: commandID)
    }
}
