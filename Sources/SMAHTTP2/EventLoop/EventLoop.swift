import CNGHTTP2
import Foundation
import Glibc
import SMARPC
import Synchronization

/// One thread running an epoll loop: socket readiness, timers, and the jobs of every Swift
/// task that prefers this loop as its `TaskExecutor`.
///
/// Handlers run as tasks with a preference for their connection's loop, so a unary call never
/// leaves the thread its bytes arrived on (see PERFORMANCE-NOTES: hopping to the global
/// executor costs ~4.5 µs per RPC). Blocking work (fsync) runs on its own threads.
///
/// Thread-safety: `@unchecked Sendable` because loop-confined state (`local`, `handlers`,
/// `timers`, `dirty`) is only touched on the loop thread (asserted by ``inLoop``); state
/// shared with other threads lives in `remote` (a `Mutex`) and in atomics.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    enum Job {
        case task(UnownedJob)
        case closure(() -> Void)
    }

    /// Index of this loop in its group (used in logs).
    public let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let remote = Mutex<[Job]>([])
    private let sleeping = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private var local: [Job] = []
    private var handlers: [Int32: any EventLoopHandler] = [:]
    private var dirty: [any EventLoopHandler] = []
    /// Emptied arrays kept for the next swap: taking the queued jobs or the dirty handlers by
    /// copying and clearing would allocate a new buffer of the same capacity every iteration
    /// (the copy still holds the old one), under the lock for the jobs.
    private var spareJobs: [Job] = []
    private var spareDirty: [any EventLoopHandler] = []
    var timers = TimerHeap()
    /// When the loop woke for its current iteration (loop thread only): the start time of the
    /// calls it begins. One clock read per iteration instead of one per call (a call's
    /// `ContinuousClock.now` was 1% of a unary call's CPU); a deadline counted from it is early
    /// by at most the time the iteration has run so far, never late. ``MonotonicClock`` nanoseconds.
    private(set) var iterationStart = MonotonicClock.now
    private var threadID = pthread_t()
    private let started = Atomic<Bool>(false)

    public init(index: Int) {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFD
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// Whether the caller runs on this loop's thread.
    public var inLoop: Bool { started.load(ordering: .acquiring) && pthread_equal(pthread_self(), threadID) != 0 }

    /// Starts the loop on a new thread.
    public func start() {
        let thread = Thread { [self] in
            threadID = pthread_self()
            started.store(true, ordering: .releasing)
            run()
        }
        thread.name = "sma-loop-\(index)"
        thread.stackSize = 1 << 20
        thread.start()
        while !started.load(ordering: .acquiring) { usleep(100) }
    }

    /// Asks the loop to exit after its current iteration.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    // MARK: TaskExecutor

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if inLoop {
            local.append(.task(job))
        } else {
            remote.withLock { $0.append(.task(job)) }
            wake()
        }
    }

    /// Runs `body` on the loop thread: inline-queued when already there, woken otherwise.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop {
            local.append(.closure(body))
        } else {
            remote.withLock { $0.append(.closure(body)) }
            wake()
        }
    }

    // MARK: Registration (loop thread only)

    func register(fd: Int32, handler: any EventLoopHandler, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
        handlers[fd] = handler
    }

    func modify(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    func deregister(fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        handlers[fd] = nil
    }

    /// Asks for `handler.flush()` at the end of this iteration (write batching).
    func markDirty(_ handler: any EventLoopHandler) {
        dirty.append(handler)
    }

    /// Schedules `body` on the loop after `nanoseconds`.
    @discardableResult
    func schedule(afterNanoseconds nanoseconds: UInt64, _ body: @escaping () -> Void) -> TimerHeap.ID {
        timers.schedule(at: MonotonicClock.now &+ nanoseconds, body)
    }

    // MARK: Loop

    /// Wakes the loop if it is (about to be) blocked in `epoll_wait`. Only the first waker
    /// writes the eventfd: a writer thread resuming a whole batch of appenders enqueues one job
    /// per appender, and one write per job cost two syscalls and often a context switch each.
    private func wake() {
        if sleeping.load(ordering: .relaxed), sleeping.exchange(false, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !stopRequested.load(ordering: .acquiring) {
            var timeout: Int32 = 0
            if local.isEmpty {
                sleeping.store(true, ordering: .sequentiallyConsistent)
                let hasRemote = remote.withLock { !$0.isEmpty }
                timeout = hasRemote ? 0 : timers.timeoutMilliseconds(now: MonotonicClock.now)
            }
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            sleeping.store(false, ordering: .releasing)
            iterationStart = MonotonicClock.now
            if count > 0 {
                for i in 0..<Int(count) {
                    let fd = events[i].data.fd
                    if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = Glibc.read(wakeFD, &value, 8)
                        continue
                    }
                    handlers[fd]?.handleEvent(events[i].events)
                }
            }
            runJobs()
            let now = MonotonicClock.now
            while let body = timers.popDue(now: now) { body() }
            runJobs()
            flushDirty()
        }
    }

    private func runJobs() {
        remote.withLock { jobs in
            if !jobs.isEmpty { swap(&jobs, &spareJobs) }
        }
        if !spareJobs.isEmpty {
            if local.isEmpty {
                swap(&local, &spareJobs)
            } else {
                local.append(contentsOf: spareJobs)
                spareJobs.removeAll(keepingCapacity: true)
            }
        }
        // Bounded: jobs queued while running go to the next iteration so I/O is never starved.
        var budget = local.count
        var index = 0
        while index < local.count && budget > 0 {
            let job = local[index]
            index += 1
            budget -= 1
            switch job {
            case .task(let task): task.runSynchronously(on: asUnownedTaskExecutor())
            case .closure(let body): body()
            }
        }
        local.removeFirst(index)
    }

    private func flushDirty() {
        var rounds = 0
        while !dirty.isEmpty && rounds < 4 {
            swap(&dirty, &spareDirty)
            for handler in spareDirty { handler.flush() }
            spareDirty.removeAll(keepingCapacity: true)
            rounds += 1
        }
    }
}

/// Something registered with an ``EventLoop``: a listener or a connection.
protocol EventLoopHandler: AnyObject {
    /// Called on readiness of the handler's file descriptor.
    func handleEvent(_ events: UInt32)
    /// Called at the end of an iteration after ``EventLoop/markDirty(_:)``.
    func flush()
}
