import Synchronization

/// Tells long-lived calls that the server has begun to shut down.
///
/// Unary calls get the whole grace period to finish, but a live subscription never finishes by
/// itself: without this it would hold every shutdown for the full grace period and then be cut
/// off. Subscriptions wait on the notice instead and end at once with UNAVAILABLE, so their
/// clients resubscribe elsewhere right away (from the last position they received: no gap).
final class ShutdownNotice: Sendable {
    private struct State {
        var begun = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    init() {}

    /// Whether shutdown has begun.
    var hasBegun: Bool { state.withLock { $0.begun } }

    /// Marks shutdown as begun and wakes every waiter.
    func begin() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.begun = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once shutdown has begun, or at once when the calling task is cancelled.
    func wait() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.begun || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
