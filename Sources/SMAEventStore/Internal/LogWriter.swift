import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The single writer: on its own thread, takes every queued append, plans them in order, writes
/// the batch with one `pwrite` and one `fdatasync` (group commit), publishes it to readers, and only
/// then resumes the appenders.
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
        var batch: [AppendRequest] = []
        while true {
            var stopping = core.queue.withLock { queue -> Bool in
                swap(&batch, &queue.requests)
                return batch.isEmpty && queue.stopping
            }
            if stopping { break }
            if batch.isEmpty {
                // The appenders just resumed usually append again within tens of microseconds:
                // yield-poll briefly before sleeping, so a lone writer does not pay two thread
                // wake-ups per append (sched_yield hands the core to them on a one-core server).
                let spinUntil = ContinuousClock.now + .microseconds(60)
                while batch.isEmpty && ContinuousClock.now < spinUntil {
                    sched_yield()
                    core.queue.withLock { queue in swap(&batch, &queue.requests) }
                }
            }
            if batch.isEmpty {
                stopping = core.queue.withLock { queue -> Bool in
                    swap(&batch, &queue.requests)
                    if batch.isEmpty {
                        if queue.stopping { return true }
                        queue.writerSleeping = true
                    }
                    return false
                }
                if stopping { break }
                if batch.isEmpty {
                    core.wakeWriter.wait()
                    continue
                }
            }
            gatherStragglers(into: &batch)
            let syncStart = ContinuousClock.now
            let size = batch.count
            if let failure = process(batch) {
                stop(with: failure, checkpoint: false)
                return
            }
            lastBatchSize = size
            lastBatchDuration = ContinuousClock.now - syncStart
            batch.removeAll(keepingCapacity: true)
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
    /// the append that completes the batch wakes it (one wake-up, not a polling loop: on a
    /// one-core server every poll is two context switches taken from the appenders).
    private func gatherStragglers(into batch: inout [AppendRequest]) {
        guard batch.count < lastBatchSize, lastBatchSize > 1 else { return }
        let wait = min(lastBatchDuration / 2, .milliseconds(1))
        let target = lastBatchSize
        let complete = core.queue.withLock { queue -> Bool in
            batch.append(contentsOf: queue.requests)
            queue.requests.removeAll(keepingCapacity: true)
            if batch.count >= target { return true }
            queue.gatherTarget = target - batch.count
            return false
        }
        if complete { return }
        let nanoseconds = Int(wait.components.seconds) * 1_000_000_000 + Int(wait.components.attoseconds / 1_000_000_000)
        if core.wakeWriter.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            let signalComing = core.queue.withLock { queue -> Bool in
                guard queue.gatherTarget > 0 else { return true }  // an appender claimed it just now
                queue.gatherTarget = 0
                return false
            }
            if signalComing { core.wakeWriter.wait() }
        }
        core.queue.withLock { queue in
            batch.append(contentsOf: queue.requests)
            queue.requests.removeAll(keepingCapacity: true)
        }
    }

    /// Writes one batch; returns an error if the log can no longer be written.
    private func process(_ batch: [AppendRequest]) -> EventStoreError? {
        let plans = core.shared.withLock { shared -> [AppendPlan] in
            var planner = AppendPlanner(head: shared.index.head, requests: batch.count, events: batch.reduce(0) { $0 + $1.events.count })
            return batch.indices.map { i in
                planner.plan(requestIndex: i, stream: batch[i].stream, streamKey: batch[i].streamKey, commandKey: batch[i].commandKey,
                             expected: batch[i].expected, events: batch[i].events, index: shared.index)
            }
        }
        var failure: EventStoreError?
        var published: [RecordedEvent] = []
        var entries: [IndexEntry] = []
        var newSegment: Segment?
        if plans.contains(where: { if case .accepted = $0 { return true } else { return false } }) {
            do throws(EventStoreError) {
                newSegment = try rollIfNeeded(plans: plans)
                (published, entries) = encode(batch, plans)
                try segment.file.write(buffer, at: endOffset)
                try segment.file.syncData()
                endOffset += UInt64(buffer.count)
                segmentLengths[segmentNumber] = endOffset
                bytesSinceCheckpoint += UInt64(buffer.count)
                core.counters.syncs.add(1, ordering: .relaxed)
                core.counters.events.add(UInt64(published.count), ordering: .relaxed)
                core.counters.appends.add(UInt64(plans.count { if case .accepted = $0 { true } else { false } }), ordering: .relaxed)
            } catch {
                failure = error
            }
        }
        if failure == nil, !published.isEmpty {
            core.shared.withLock { shared in
                if let newSegment { shared.segments.append(newSegment) }
                for i in published.indices {
                    let event = published[i]
                    shared.index.add(position: event.position.value, location: entries[i].location, streamKey: entries[i].streamKey,
                                     eventID: event.eventID, commandKey: entries[i].commandKey)
                    shared.tail.push(event)
                }
            }
            core.notifier.advance(to: published[published.count - 1].position.value)
            for i in published.indices {
                delta.add(location: entries[i].location, stream: published[i].streamID, eventID: published[i].eventID,
                          commandID: entries[i].commandKey?.value)
            }
        }
        complete(batch, plans, failure: failure)
        return failure
    }

    /// Starts a new segment when the current one is full; it becomes visible to readers on publish.
    private func rollIfNeeded(plans: [AppendPlan]) throws(EventStoreError) -> Segment? {
        guard endOffset >= core.options.segmentSize, endOffset > 0 else { return nil }
        var first: UInt64 = 0
        for plan in plans {
            if case let .accepted(position, _) = plan { first = position; break }
        }
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
        let location: UInt64
        let streamKey: HashedString
        let commandKey: HashedString?
    }

    /// Encodes the accepted appends into `buffer`; returns their events and index entries.
    private func encode(_ batch: [AppendRequest], _ plans: [AppendPlan]) -> ([RecordedEvent], [IndexEntry]) {
        buffer.removeAll(keepingCapacity: true)
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let micros = Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
        let timestamp = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        var events: [RecordedEvent] = []
        var entries: [IndexEntry] = []
        for (request, plan) in zip(batch, plans) {
            guard case let .accepted(firstPosition, firstVersion) = plan else { continue }
            for (i, event) in request.events.enumerated() {
                let position = firstPosition + UInt64(i)
                let version = firstVersion + UInt64(i)
                entries.append(IndexEntry(location: StoreIndex.location(segment: segmentNumber, offset: endOffset + UInt64(buffer.count)),
                                          streamKey: request.streamKey, commandKey: i == 0 ? request.commandKey : nil))
                RecordEncoder.encode(
                    position: position, streamVersion: version, timestampMicros: micros, stream: request.stream, event: event,
                    appendIndex: UInt32(i), appendCount: UInt32(request.events.count),
                    frameSize: RecordEncoder.frameSize(stream: request.stream, event: event)!, into: &buffer
                )
                events.append(RecordedEvent(
                    position: LogPosition(position), streamID: request.stream, streamVersion: version, eventID: event.eventID,
                    eventType: event.eventType, schemaVersion: event.schemaVersion, timestamp: timestamp,
                    metadata: event.metadata, payload: event.payload
                ))
            }
        }
        return (events, entries)
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
