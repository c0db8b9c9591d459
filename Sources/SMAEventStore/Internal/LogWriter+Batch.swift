import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Building, writing and publishing one batch (see ``LogWriter``).
extension LogWriter {
    /// One batch being built: its appends are planned and encoded as they arrive — also while
    /// the writer waits for stragglers — then written and synced together by ``commit(_:)``.
    struct Batch {
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

    /// An empty batch whose events will get the current time and the positions after the head,
    /// its arrays sized for `expected` appends of one event (no regrowth while it fills).
    func startBatch(expecting expected: Int) -> Batch {
        buffer.removeAll(keepingCapacity: true)
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let micros = Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
        let head = core.shared.withLock { $0.index.head }
        var batch = Batch(planner: AppendPlanner(head: head, requests: expected, events: expected), timestampMicros: micros,
                          timestamp: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
        batch.requests.reserveCapacity(expected)
        batch.plans.reserveCapacity(expected)
        batch.published.reserveCapacity(expected)
        batch.entries.reserveCapacity(expected)
        return batch
    }

    /// Plans the batch's requests from `start` on (against the committed index plus what the
    /// batch staged) and encodes the accepted ones into `buffer`.
    func stage(from start: Int, in batch: inout Batch) {
        guard start < batch.requests.count else { return }
        let events = batch.requests[start...].reduce(0) { $0 + $1.events.count }
        batch.planner.reserve(requests: batch.requests.count - start, events: events)
        core.shared.withLock { shared in
            // Fields read in place: a copy of each request would retain and release all of them.
            for i in start..<batch.requests.count {
                batch.plans.append(batch.planner.plan(
                    requestIndex: i, stream: batch.requests[i].stream, streamKey: batch.requests[i].streamKey,
                    commandKey: batch.requests[i].commandKey, expected: batch.requests[i].expected,
                    events: batch.requests[i].events, index: shared.index))
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
            encode(request: i, firstPosition: firstPosition, firstVersion: firstVersion, into: &batch)
        }
    }

    /// Writes and syncs the staged batch, publishes it and resumes its appenders; returns an
    /// error if the log can no longer be written.
    func commit(_ batch: inout Batch) -> EventStoreError? {
        var failure = batch.failure
        if failure == nil, batch.hasAccepted {
            do throws(EventStoreError) {
                preallocator.prepareWrite(upTo: endOffset + UInt64(buffer.count))
                try segment.file.write(buffer, at: endOffset)
                let syncStart = DispatchTime.now().uptimeNanoseconds
                try segment.file.syncData()
                core.counters.syncNanoseconds.add(DispatchTime.now().uptimeNanoseconds &- syncStart, ordering: .relaxed)
                endOffset += UInt64(buffer.count)
                preallocator.didWrite(upTo: endOffset)
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
                // Entries read in place (`entries[i].field`): a copy of each would retain and
                // release its strings.
                for i in entries.indices {
                    shared.index.publish(position: entries[i].position, location: entries[i].location, streamKey: entries[i].streamKey,
                                         commandKey: entries[i].commandKey)
                    shared.tail.push(&batch.published[i], at: entries[i].position)
                }
            }
            core.notifier.advance(to: entries[entries.count - 1].position)
        }
        complete(batch.requests, batch.plans, failure: failure)
        // Off the appenders' path: they run again while the writer indexes event ids (only its own
        // planner reads them, and it plans the next batch after this) and records the delta.
        if failure == nil, !entries.isEmpty {
            core.shared.withLock { shared in
                for i in entries.indices { shared.index.addEventID(entries[i].eventID, at: entries[i].position) }
            }
            for i in entries.indices {
                delta.add(location: entries[i].location, stream: StreamID(entries[i].streamKey.value), eventID: entries[i].eventID,
                          commandID: entries[i].commandKey?.value)
            }
        }
        return failure
    }

    /// Starts a new segment when the current one is full; it becomes visible to readers on publish.
    func rollIfNeeded(firstPosition first: UInt64) throws(EventStoreError) -> Segment? {
        guard endOffset >= core.options.segmentSize, endOffset > 0 else { return nil }
        let path = core.segmentsDirectory + "/" + Segment.fileName(firstPosition: first)
        // Finished before the next one exists: only the last segment may end in zeros.
        try finishSegment()
        let file = try FileDescriptor.open(path, flags: O_RDWR | O_CREAT | O_TRUNC)
        let next = Segment(firstPosition: first, file: file)
        preallocator.start(next)
        try FileSystem.syncDirectory(core.segmentsDirectory)
        segment = next
        segmentNumber += 1
        segmentLengths.append(0)
        endOffset = 0
        return segment
    }

    /// Cuts the current segment back to its last record (dropping the zeros written ahead of it)
    /// before a roll or at close: a finished segment ends with its last record, as readers of
    /// older segments and the scan at open expect.
    func finishSegment() throws(EventStoreError) {
        preallocator.finish()
        guard try segment.file.size() > endOffset else { return }
        try segment.file.truncate(to: endOffset)
        try segment.file.syncData()
    }

    /// Where an encoded event goes in the index: its location, stream, and the command id it
    /// registers (only the first event of an append does).
    struct IndexEntry {
        let position: UInt64
        let location: UInt64
        let streamKey: HashedString
        let eventID: UUID
        let commandKey: HashedString?
    }

    /// Encodes accepted append number `index` of the batch into `buffer` and records its events
    /// and index entries. The request and its events are read in place, not copied.
    func encode(request index: Int, firstPosition: UInt64, firstVersion: UInt64, into batch: inout Batch) {
        let count = batch.requests[index].events.count
        for i in 0..<count {
            let position = firstPosition + UInt64(i)
            let version = firstVersion + UInt64(i)
            batch.entries.append(IndexEntry(position: position, location: StoreIndex.location(segment: segmentNumber, offset: endOffset + UInt64(buffer.count)),
                                            streamKey: batch.requests[index].streamKey, eventID: batch.requests[index].events[i].eventID,
                                            commandKey: i == 0 ? batch.requests[index].commandKey : nil))
            RecordEncoder.encode(
                position: position, streamVersion: version, timestampMicros: batch.timestampMicros, stream: batch.requests[index].stream,
                event: batch.requests[index].events[i], appendIndex: UInt32(i), appendCount: UInt32(count),
                frameSize: RecordEncoder.frameSize(stream: batch.requests[index].stream, event: batch.requests[index].events[i])!, into: &buffer
            )
            batch.published.append(RecordedEvent(batch.requests[index].events[i], position: position, stream: batch.requests[index].stream,
                                                 version: version, timestamp: batch.timestamp))
        }
    }

    /// Resumes every appender of the batch with its result.
    func complete(_ batch: [AppendRequest], _ plans: [AppendPlan], failure: EventStoreError?) {
        var results: [Result<AppendResult, EventStoreError>] = []
        results.reserveCapacity(batch.count)
        // By index, not `zip`: each request read in place (a copy retains and releases its fields).
        for i in batch.indices {
            switch plans[i] {
            case let .failed(error):
                results.append(.failure(error))
            case let .accepted(first, firstVersion):
                if let failure {
                    results.append(.failure(failure))
                } else {
                    let count = UInt64(batch[i].events.count)
                    results.append(.success(AppendResult(firstPosition: LogPosition(first), lastPosition: LogPosition(first + count - 1),
                                                         nextExpectedVersion: firstVersion + count - 1)))
                }
            case let .sameAs(index):
                results.append(results[index].map(Self.markDeduplicated))
            case let .duplicate(position, expectedCount):
                results.append(storedResult(position: position, expectedCount: expectedCount, firstEventID: batch[i].events[0].eventID)
                    .map(Self.markDeduplicated))
            }
        }
        for i in batch.indices {
            batch[i].completion.resume(returning: results[i])
        }
    }

    static func markDeduplicated(_ result: AppendResult) -> AppendResult {
        var result = result
        result.deduplicated = true
        return result
    }

    /// The original result of the stored append containing `position`.
    func storedResult(position: UInt64, expectedCount: Int?, firstEventID: UUID) -> Result<AppendResult, EventStoreError> {
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
}

extension RecordedEvent {
    /// What an accepted event becomes at `position` (read from the request in place).
    init(_ event: borrowing EventData, position: UInt64, stream: StreamID, version: UInt64, timestamp: Date) {
        self.init(position: LogPosition(position), streamID: stream, streamVersion: version, eventID: event.eventID,
                  eventType: event.eventType, schemaVersion: event.schemaVersion, timestamp: timestamp,
                  metadata: event.metadata, payload: event.payload)
    }
}
