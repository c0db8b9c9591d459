import SMARPC

/// Long-lived tasks that run calls on one loop, so starting a call does not create a task.
///
/// Calls wait in a queue; a worker takes one, runs it, and takes the next — without parking
/// and being resumed — as long as its calls complete without suspending (a burst of unary
/// calls read in one go runs back to back on one worker). Whenever calls are queued, one more
/// worker is woken ahead of time, so a call that suspends (awaiting the event store, say)
/// never holds up the calls behind it. An idle worker parks on an unsafe continuation.
/// Cancelling a call cancels its worker's task, which then retires after that call (task
/// cancellation is permanent), so cancellation keeps its normal meaning inside handlers.
///
/// Thread-safety: `@unchecked Sendable` because the queue, `idle`, `wakePending` and each
/// worker's `parked` continuation are only touched on the loop thread: by ``start(_:)``
/// (called on the loop) and by the workers, which run on the loop (task executor preference).
final class CallWorkerPool: @unchecked Sendable {
    /// One call to run.
    struct Job: Sendable {
        let rpc: RPCServer
        let method: RegisteredMethod
        let call: ServerCall
        /// The call's stream: a call whose stream closed or was answered while queued is skipped.
        let stream: HTTP2Stream
    }

    /// A worker: its task (for cancellation) and, while idle, its parked continuation.
    final class Worker: @unchecked Sendable {
        var task: Task<Void, Never>?
        fileprivate var parked: UnsafeContinuation<Bool, Never>?
    }

    private let loop: EventLoop
    private let maxIdle: Int
    private var idle: [Worker] = []
    private var queue: [Job] = []
    private var queueHead = 0
    /// A worker was resumed or created and has not yet looked at the queue.
    private var wakePending = false

    init(loop: EventLoop, maxIdle: Int = 1024) {
        self.loop = loop
        self.maxIdle = maxIdle
    }

    /// Queues `job`; a worker runs it on this loop.
    func start(_ job: Job) {
        queue.append(job)
        wakeIfNeeded()
    }

    /// Ends every idle worker (shutdown).
    func drain() {
        let workers = idle
        idle.removeAll()
        for worker in workers {
            let parked = worker.parked
            worker.parked = nil
            parked?.resume(returning: false)
        }
    }

    /// Makes sure a worker will look at a non-empty queue even if the running call suspends.
    private func wakeIfNeeded() {
        guard queueHead < queue.count, !wakePending else { return }
        wakePending = true
        if let worker = idle.popLast(), let parked = worker.parked {
            worker.parked = nil
            parked.resume(returning: true)
            return
        }
        let worker = Worker()
        worker.task = Task(executorPreference: loop) { [self] in
            await work(as: worker)
        }
    }

    /// The next queued call whose stream still waits for it.
    private func takeJob() -> Job? {
        while queueHead < queue.count {
            let job = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: queue.capacity <= 4096)
                queueHead = 0
            }
            if !job.stream.closed && !job.stream.responseFinished { return job }
        }
        return nil
    }

    private func work(as worker: Worker) async {
        while true {
            assert(loop.inLoop, "a call worker must run on its own loop")
            wakePending = false
            while let job = takeJob() {
                wakeIfNeeded()
                job.stream.worker = worker
                await job.rpc.run(job.method, job.call)
                if Task.isCancelled { return }
            }
            if idle.count >= maxIdle { return }
            let resumed = await withUnsafeContinuation { continuation in
                worker.parked = continuation
                idle.append(worker)
            }
            if !resumed { return }
        }
    }
}
