/// The appends waiting for the writer thread, and the writer's lifecycle.
struct WriterQueue: Sendable {
    var requests: [AppendRequest] = []
    /// The writer is (about to be) waiting on the semaphore: the next enqueue must signal it.
    var writerSleeping = false
    /// While the writer gathers a batch: the queue length at which the enqueue that reaches it
    /// must signal the writer (0 when not gathering).
    var gatherTarget = 0
    /// `close()` was called: no new appends; the writer exits once the queue is empty.
    var stopping = false
    /// Set when the writer has stopped (closed or failed): appends fail with it at once.
    var stopped: EventStoreError?
    /// Resumed when the writer stops: `close()` and `stopped()` callers.
    var stopWaiters: [UnsafeContinuation<Void, Never>] = []
}
