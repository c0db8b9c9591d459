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
/// `@unchecked Sendable`: the mutable properties (current segment, offsets, buffer) are touched only
/// by the writer thread: `init` runs before the thread starts and `run()` is its only entry point.
final class LogWriter: @unchecked Sendable {
    private let core: StoreCore
    private var segmentNumber: Int
    private var segment: Segment
    private var endOffset: UInt64
    private var segmentLengths: [UInt64]
    private var bytesSinceCheckpoint: UInt64 = 0
    private var buffer: [UInt8] = []
    private var lastBatchSize = 0
    private var lastBatchDuration = Duration.zero
    /// Index entries of the events written since the last checkpoint.
    private var delta: IndexDelta
    private let deltaSaver: DeltaSaver

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
            var batch = startBatch()
            batch.requests.append(contentsOf: taken)
            taken.removeAll(keepingCapacity: true)
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

    /// One batch being built: its appends are planned and encoded as they arrive — also while
    /// the writer waits for stragglers — then written and synced together by ``commit(_:)``.
    private struct Batch {
        var requests: [AppendRequest] = []
        var plans: [AppendPlan] = []
        var planner: AppendPlanner
        /// The accepted events, in `buffer` (optional: publishing moves them into the live tail),
        /// and their index entries.
        var published: [RecordedEvent?] = []
        var entries: [IndexEntry] = []
        var newSegment: Segment?
        var hasAccepted = false
        var failure: EventStoreError?
        let timestampMicros: Int64
        let timestamp: Date
    }

    private func startBatch() -> Batch {
        buffer.removeAll(keepingCapacity: true)
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let micros = Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
        let head = core.shared.withLock { $0.index.head }
        return Batch(planner: AppendPlanner(head: head), timestampMicros: micros,
                     timestamp: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }

    /// Plans the batch's requests from `start` on (against the committed index plus what the
    /// batch staged) and encodes the accepted ones into `buffer`.
    private func stage(from start: Int, in batch: inout Batch) {
        guard start < batch.requests.count else { return }
        let events = batch.requests[start...].reduce(0) { $0 + $1.events.count }
        batch.planner.reserve(requests: batch.requests.count - start, events: events)
        core.shared.withLock { shared in
            for i in start..<batch.requests.count {
                let request = batch.requests[i]
                batch.plans.append(batch.planner.plan(
                    requestIndex: i, stream: request.stream, streamKey: request.streamKey, commandKey: request.commandKey,
                    expected: request.expected, events: request.events, index: shared.index))
            }
        }
        for i in start..<batch.requests.count {
            guard batch.failure == nil, case let .accepted(firstPosition, firstVersion) = batch.plans[i] else { continue }
            if !batch.hasAccepted {
                batch.hasAccepted = true
                do throws(EventStoreError) {
                    batch.newSegment = try rollIfNeeded(firstPosition: firstPosition)
                } catch {
                    batch.failure = error
                    continue
                }
            }
            encode(batch.requests[i], firstPosition: firstPosition, firstVersion: firstVersion, into: &batch)
        }
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

    /// Writes and syncs the staged batch, publishes it and resumes its appenders; returns an
    /// error if the log can no longer be written.
    private func commit(_ batch: inout Batch) -> EventStoreError? {
        var failure = batch.failure
        if failure == nil, batch.hasAccepted {
            do throws(EventStoreError) {
                try segment.file.write(buffer, at: endOffset)
                try segment.file.syncData()
                endOffset += UInt64(buffer.count)
                segmentLengths[segmentNumber] = endOffset
                bytesSinceCheckpoint += UInt64(buffer.count)
                core.counters.syncs.add(1, ordering: .relaxed)
                core.counters.events.add(UInt64(batch.published.count), ordering: .relaxed)
                core.counters.appends.add(UInt64(batch.plans.count { if case .accepted = $0 { true } else { false } }), ordering: .relaxed)
            } catch {
                failure = error
            }
        }
        let entries = batch.entries
        if failure == nil, !entries.isEmpty {
            core.shared.withLock { shared in
                if let newSegment = batch.newSegment { shared.segments.append(newSegment) }
                for i in entries.indices {
                    let entry = entries[i]
                    shared.index.add(position: entry.position, location: entry.location, streamKey: entry.streamKey,
                                     eventID: entry.eventID, commandKey: entry.commandKey)
                    shared.tail.push(&batch.published[i], at: entry.position)
                }
            }
            core.notifier.advance(to: entries[entries.count - 1].position)
            for entry in entries {
                delta.add(location: entry.location, stream: StreamID(entry.streamKey.value), eventID: entry.eventID,
                          commandID: entry.commandKey?.value)
            }
        }
        complete(batch.requests, batch.plans, failure: failure)
        return failure
    }

    /// Starts a new segment when the current one is full; it becomes visible to readers on publish.
    private func rollIfNeeded(firstPosition first: UInt64) throws(EventStoreError) -> Segment? {
        guard endOffset >= core.options.segmentSize, endOffset > 0 else { return nil }
        let path = core.segmentsDirectory + "/" + Segment.fileName(firstPosition: first)
        let file = try FileDescriptor.open(path, flags: O_RDWR | O_CREAT | O_TRUNC)
        try FileSystem.syncDirectory(core.segmentsDirectory)
        segment = Segment(firstPosition: first, file: file)
        segmentNumber += 1
        segmentLengths.append(0)
        endOffset = 0
        return segment
    }

    /// Where an encoded event goes in the index: its location, stream, and the command id it
    /// registers (only the first event of an append does).
    private struct IndexEntry {
        let position: UInt64
        let location: UInt64
        let streamKey: HashedString
        let eventID: UUID
        let commandKey: HashedString?
    }

    /// Encodes an accepted append into `buffer` and records its events and index entries.
    private func encode(_ request: AppendRequest, firstPosition: UInt64, firstVersion: UInt64, into batch: inout Batch) {
        for (i, event) in request.events.enumerated() {
            let position = firstPosition + UInt64(i)
            let version = firstVersion + UInt64(i)
            batch.entries.append(IndexEntry(position: position, location: StoreIndex.location(segment: segmentNumber, offset: endOffset + UInt64(buffer.count)),
                                            streamKey: request.streamKey, eventID: event.eventID, commandKey: i == 0 ? request.commandKey : nil))
            RecordEncoder.encode(
                position: position, streamVersion: version, timestampMicros: batch.timestampMicros, stream: request.stream, event: event,
                appendIndex: UInt32(i), appendCount: UInt32(request.events.count),
                frameSize: RecordEncoder.frameSize(stream: request.stream, event: event)!, into: &buffer
            )
            batch.published.append(RecordedEvent(
                position: LogPosition(position), streamID: request.stream, streamVersion: version, eventID: event.eventID,
                eventType: event.eventType, schemaVersion: event.schemaVersion, timestamp: batch.timestamp,
                metadata: event.metadata, payload: event.payload
            ))
        }
    }

    /// Resumes every appender of the batch with its result.
    private func complete(_ batch: [AppendRequest], _ plans: [AppendPlan], failure: EventStoreError?) {
        var results: [Result<AppendResult, EventStoreError>] = []
        results.reserveCapacity(batch.count)
        for (request, plan) in zip(batch, plans) {
            switch plan {
            case let .failed(error):
                results.append(.failure(error))
            case let .accepted(first, firstVersion):
                if let failure {
                    results.append(.failure(failure))
                } else {
                    let count = UInt64(request.events.count)
                    results.append(.success(AppendResult(firstPosition: LogPosition(first), lastPosition: LogPosition(first + count - 1),
                                                         nextExpectedVersion: firstVersion + count - 1)))
                }
            case let .sameAs(index):
                results.append(results[index].map(Self.markDeduplicated))
            case let .duplicate(position, expectedCount):
                results.append(storedResult(position: position, expectedCount: expectedCount, firstEventID: request.events[0].eventID)
                    .map(Self.markDeduplicated))
            }
        }
        for (request, result) in zip(batch, results) {
            request.continuation.resume(returning: result)
        }
    }

    private static func markDeduplicated(_ result: AppendResult) -> AppendResult {
        var result = result
        result.deduplicated = true
        return result
    }

    /// The original result of the stored append containing `position`.
    private func storedResult(position: UInt64, expectedCount: Int?, firstEventID: UUID) -> Result<AppendResult, EventStoreError> {
        let (location, segments) = core.shared.withLock { ($0.index.location(of: position), $0.segments) }
        guard let location else { return .failure(.corrupt(file: core.segmentsDirectory, offset: 0, reason: "position \(position) is not indexed")) }
        do {
            let record = try LogReader.readRecord(position: position, at: location, segments: segments)
            guard let result = AppendPlanner.storedResult(
                position: position, appendIndex: record.appendIndex, appendCount: record.appendCount,
                streamVersion: record.event.streamVersion, expectedCount: expectedCount
            ) else {
                return .failure(.duplicateEventID(eventID: firstEventID, position: LogPosition(position)))
            }
            return .success(result)
        } catch {
            return .failure(error)
        }
    }

    private func extents() -> [Checkpoint.SegmentExtent] {
        let segments = core.shared.withLock { $0.segments }
        return zip(segments, segmentLengths).map { Checkpoint.SegmentExtent(firstPosition: $0.firstPosition, length: $1) }
    }

    /// Hands the entries since the last checkpoint to the background saver and starts a new delta.
    private func saveDelta() {
        bytesSinceCheckpoint = 0
        guard !delta.isEmpty else { return }
        deltaSaver.save(delta, segments: extents())
        delta = IndexDelta(first: delta.first + delta.count)
    }

    /// At close: a full snapshot (fastest to open), which supersedes the deltas; if it cannot be
    /// written (counted), the last delta instead.
    private func closingCheckpoint() {
        deltaSaver.drain()
        do {
            let index = core.shared.withLock { $0.index }
            try Checkpoint(index: index, segments: extents()).write(directory: core.directory)
            deltaSaver.removeAll()
            delta = IndexDelta(first: index.head + 1)
        } catch {
            core.counters.checkpointFailures.add(1, ordering: .relaxed)
            saveDelta()
        }
    }

    /// Stops the writer: fails queued appends, wakes subscribers, releases the directory lock.
    private func stop(with error: EventStoreError, checkpoint: Bool) {
        if checkpoint { closingCheckpoint() }
        deltaSaver.drain()
        let (pending, waiters) = core.queue.withLock { queue -> ([AppendRequest], [UnsafeContinuation<Void, Never>]) in
            queue.stopped = error
            defer {
                queue.requests = []
                queue.closeWaiters = []
            }
            return (queue.requests, queue.closeWaiters)
        }
        core.shared.withLock { $0.closed = error }
        core.notifier.close(error)
        core.lockFile.withLock { $0 = nil }
        for request in pending { request.continuation.resume(returning: .failure(error)) }
        for waiter in waiters { waiter.resume() }
    }
}
