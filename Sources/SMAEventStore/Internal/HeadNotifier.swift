import Synchronization

/// Wakes subscribers waiting for the log head to move past a position.
///
/// The writer calls ``advance(to:)`` after each published batch; waiters resume outside the lock.
final class HeadNotifier: Sendable {
    /// How a wait ended.
    enum Outcome {
        case advanced
        case cancelled
        case closed(EventStoreError)
    }

    private struct Waiter {
        let beyond: UInt64
        let continuation: UnsafeContinuation<Void, Never>
    }

    private struct State {
        var head: UInt64
        var waiters: [UInt64: Waiter] = [:]
        var cancelledBeforeRegistering: Set<UInt64> = []
        var nextID: UInt64 = 0
        var closed: EventStoreError?
    }

    private let state: Mutex<State>

    init(head: UInt64) {
        state = Mutex(State(head: head))
    }

    /// Records a new head and wakes every waiter it satisfies.
    func advance(to head: UInt64) {
        let ready = state.withLock { state -> [UnsafeContinuation<Void, Never>] in
            state.head = max(state.head, head)
            guard !state.waiters.isEmpty else { return [] }
            var ready: [UnsafeContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters where waiter.beyond < state.head {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Fails every current and future wait with `error`.
    func close(_ error: EventStoreError) {
        let all = state.withLock { state -> [UnsafeContinuation<Void, Never>] in
            state.closed = state.closed ?? error
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in all { continuation.resume() }
    }

    /// Suspends until the head is beyond `position`, the task is cancelled, or the store closes.
    func wait(beyond position: UInt64) async -> Outcome {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.cancelledBeforeRegistering.remove(id) != nil || state.head > position || state.closed != nil {
                        return true
                    }
                    state.waiters[id] = Waiter(beyond: position, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledBeforeRegistering.insert(id)
                return nil
            }
            waiter?.continuation.resume()
        }
        // onCancel cannot run any more: forget a cancellation that arrived after resumption.
        let closed = state.withLock { state -> EventStoreError? in
            state.cancelledBeforeRegistering.remove(id)
            return state.closed
        }
        if let closed { return .closed(closed) }
        return Task.isCancelled ? .cancelled : .advanced
    }
}
