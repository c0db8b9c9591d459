import SMARPC

/// Long-lived tasks that run calls on one loop, so starting a call does not create a task.
///
/// A worker runs one call at a time; when the call ends it parks itself (an unsafe
/// continuation) until the next call. Cancelling a call cancels its worker's task, which then
/// retires after that call (task cancellation is permanent), so cancellation keeps its normal
/// meaning inside handlers.
///
/// Thread-safety: `@unchecked Sendable` because `idle` and each worker's `continuation` are
/// only touched on the loop thread: by ``start(_:)`` (called on the loop) and by the workers,
/// which run on the loop (task executor preference) when they park.
final class CallWorkerPool: @unchecked Sendable {
    /// One call to run.
    struct Job: Sendable {
        let rpc: RPCServer
        let method: RegisteredMethod
        let call: ServerCall
    }

    /// A worker: its task (for cancellation) and, while idle, its parked continuation.
    final class Worker: @unchecked Sendable {
        var task: Task<Void, Never>?
        fileprivate var parked: UnsafeContinuation<Job?, Never>?
    }

    private let loop: EventLoop
    private let maxIdle: Int
    private var idle: [Worker] = []

    init(loop: EventLoop, maxIdle: Int = 1024) {
        self.loop = loop
        self.maxIdle = maxIdle
    }

    /// Runs `job` on an idle worker, or on a new one; returns the worker running it.
    func start(_ job: Job) -> Worker {
        if let worker = idle.popLast(), let parked = worker.parked {
            worker.parked = nil
            parked.resume(returning: job)
            return worker
        }
        let worker = Worker()
        worker.task = Task(executorPreference: loop) { [self] in
            var next: Job? = job
            while let current = next {
                await current.rpc.run(current.method, current.call)
                if Task.isCancelled || idle.count >= maxIdle { return }
                next = await withUnsafeContinuation { continuation in
                    assert(loop.inLoop, "a call worker must park on its own loop")
                    worker.parked = continuation
                    idle.append(worker)
                }
            }
        }
        return worker
    }

    /// Ends every idle worker (shutdown).
    func drain() {
        let workers = idle
        idle.removeAll()
        for worker in workers {
            let parked = worker.parked
            worker.parked = nil
            parked?.resume(returning: nil)
        }
    }
}
