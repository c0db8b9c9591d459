import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The single writer: on its own thread, takes every queued append, plans and encodes them in
/// order (also while it waits for stragglers: ``Batch``), writes the batch with one `pwrite` and
/// one `fdatasync` (group commit), publishes it to readers (index, live tail, head), and only then
/// resumes the appenders. Every `checkpointInterval` bytes it hands an index delta to the
/// background ``DeltaSaver``.
///
/// `@unchecked Sendable`: the mutable properties (current segment, offsets, buffer, delta) are
/// touched only by the writer thread: `init` runs before the thread starts and `run()` is its only
/// entry point. Batches: `LogWriter+Batch.swift`; checkpoints: `LogWriter+Checkpoints.swift`.
final class LogWriter: @unchecked Sendable {
    let core: StoreCore
    var segmentNumber: Int
    var segment: Segment
    var endOffset: UInt64
    var segmentLengths: [UInt64]
    var bytesSinceCheckpoint: UInt64 = 0
    var buffer: [UInt8] = []
    private var lastBatchSize = 0
    private var lastBatchDuration = Duration.zero
    /// Index entries of the events written since the last checkpoint.
    var delta: IndexDelta
    let deltaSaver: DeltaSaver
    let preallocator: SpacePreallocator

    init(core: StoreCore, recovered: RecoveredLog) throws(EventStoreError) {
        self.core = core
        self.segmentNumber = recovered.segments.count - 1
        self.segment = recovered.segments[recovered.segments.count - 1]
        self.endOffset = recovered.endOffset
        var lengths: [UInt64] = []
        for segment in recovered.segments.dropLast() { lengths.append(try segment.file.size()) }
        lengths.append(recovered.endOffset)
        self.segmentLengths = lengths
        self.delta = recovered.delta
        self.deltaSaver = DeltaSaver(directory: core.directory, counters: core.counters)
        // Zeros the scan found after the last record (a crash while preallocated) are kept.
        self.preallocator = SpacePreallocator(segment: segment, existing: max(try segment.file.size(), recovered.endOffset),
                                              limit: core.options.segmentSize,
                                              freeSpaceReserve: core.options.preallocationFreeSpaceReserve, counters: core.counters)
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "sma-eventstore-writer"
        thread.start()
    }

    private func run() {
        // A long tail scanned at open (after a crash) goes into a delta at once, in the background:
        // the next open will not scan it again, and its entries do not wait in memory.
        if delta.count >= 4096 { saveDelta() }
        var taken: [AppendRequest] = []
        while true {
            var stopping = core.queue.withLock { queue -> Bool in
                swap(&taken, &queue.requests)
                return taken.isEmpty && queue.stopping
            }
            if stopping { break }
            if taken.isEmpty {
                // The appenders just resumed usually append again within tens of microseconds:
                // yield-poll briefly before sleeping, so a lone writer does not pay two thread
                // wake-ups per append (sched_yield hands the core to them on a one-core server).
                let spinUntil = ContinuousClock.now + .microseconds(60)
                while taken.isEmpty && ContinuousClock.now < spinUntil {
                    sched_yield()
                    core.queue.withLock { queue in swap(&taken, &queue.requests) }
                }
            }
            if taken.isEmpty {
                stopping = core.queue.withLock { queue -> Bool in
                    swap(&taken, &queue.requests)
                    if taken.isEmpty {
                        if queue.stopping { return true }
                        queue.writerSleeping = true
                    }
                    return false
                }
                if stopping { break }
                if taken.isEmpty {
                    core.wakeWriter.wait()
                    continue
                }
            }
            let start = ContinuousClock.now
            var batch = startBatch(expecting: lastBatchSize)
            // Moved, not copied: appending would retain and release every field of every request.
            swap(&batch.requests, &taken)
            stage(from: 0, in: &batch)
            gatherStragglers(into: &batch)
            let size = batch.requests.count
            if let failure = commit(&batch) {
                stop(with: failure, checkpoint: false)
                return
            }
            lastBatchSize = size
            lastBatchDuration = ContinuousClock.now - start
            if bytesSinceCheckpoint >= core.options.checkpointInterval {
                // Only the entries since the last checkpoint, written in the background; a failed
                // one costs only a longer scan at the next open, and is counted.
                saveDelta()
            }
        }
        stop(with: .closed(reason: "the store was closed"), checkpoint: core.options.checkpointOnClose)
    }

    /// Group commit's gathering step: the appenders resumed by the previous batch usually append
    /// again at once, but need a moment to be scheduled. If fewer than that arrived, wait for them
    /// a little (at most half the previous batch's write-and-sync time, and 1 ms), so that one sync
    /// serves them all instead of every other sync serving half of them. The writer sleeps until
    /// a quarter of the missing appends has arrived (one wake-up, not a polling loop: on a
    /// one-core server every poll is two context switches taken from the appenders), plans and
    /// encodes those while the rest arrive, and so on: the wait is spent on the batch's own work.
    private func gatherStragglers(into batch: inout Batch) {
        let target = lastBatchSize
        guard batch.requests.count < target, lastBatchSize > 1 else { return }
        let wait = min(lastBatchDuration / 2, .milliseconds(1))
        let nanoseconds = Int(wait.components.seconds) * 1_000_000_000 + Int(wait.components.attoseconds / 1_000_000_000)
        let deadline = DispatchTime.now() + .nanoseconds(nanoseconds)
        let chunk = max(16, target / 4)
        while batch.requests.count < target {
            let want = min(target - batch.requests.count, chunk)
            let start = batch.requests.count
            let ready = core.queue.withLock { queue -> Bool in
                guard queue.requests.count >= want else {
                    queue.gatherTarget = want
                    return false
                }
                batch.requests.append(contentsOf: queue.requests)
                queue.requests.removeAll(keepingCapacity: true)
                return true
            }
            if ready {
                stage(from: start, in: &batch)
                continue
            }
            if core.wakeWriter.wait(timeout: deadline) == .timedOut {
                let signalComing = core.queue.withLock { queue -> Bool in
                    guard queue.gatherTarget > 0 else { return true }  // an appender claimed it just now
                    queue.gatherTarget = 0
                    return false
                }
                if signalComing { core.wakeWriter.wait() }
                break
            }
        }
        let start = batch.requests.count
        core.queue.withLock { queue in
            batch.requests.append(contentsOf: queue.requests)
            queue.requests.removeAll(keepingCapacity: true)
        }
        stage(from: start, in: &batch)
    }

    /// Stops the writer: fails queued appends, wakes subscribers, releases the directory lock.
    private func stop(with error: EventStoreError, checkpoint: Bool) {
        do {
            try finishSegment()
        } catch {
            // Harmless (the scan at open keeps zeros after the last record), but counted.
            core.counters.preallocationFailures.add(1, ordering: .relaxed)
        }
        if checkpoint { closingCheckpoint() }
        deltaSaver.drain()
        let (pending, waiters) = core.queue.withLock { queue -> ([AppendRequest], [UnsafeContinuation<Void, Never>]) in
            queue.stopped = error
            defer {
                queue.requests = []
                queue.stopWaiters = []
            }
            return (queue.requests, queue.stopWaiters)
        }
        core.shared.withLock { $0.closed = error }
        core.notifier.close(error)
        core.lockFile.withLock { $0 = nil }
        for request in pending { request.completion.resume(returning: .failure(error)) }
        for waiter in waiters { waiter.resume() }
    }
}
