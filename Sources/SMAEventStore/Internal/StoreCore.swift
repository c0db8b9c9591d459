import Dispatch
import Synchronization

/// The heart of ``FileEventStore``: the shared index and segments, the append queue, and the
/// reads. The writer thread (``LogWriter``) is the only one that changes files and index.
final class StoreCore: Sendable {
    let directory: String
    let segmentsDirectory: String
    let options: FileEventStore.Options
    let shared: Mutex<StoreShared>
    let queue = Mutex(WriterQueue())
    let wakeWriter = DispatchSemaphore(value: 0)
    let notifier: HeadNotifier
    let counters = WriterCounters()
    /// The `LOCK` file holding the directory's `flock`; dropped (unlocking) when the writer stops.
    let lockFile: Mutex<FileDescriptor?>

    init(directory: String, options: FileEventStore.Options, recovered: RecoveredLog, lockFile: FileDescriptor) {
        self.directory = directory
        self.segmentsDirectory = directory + "/segments"
        self.options = options
        let tail = LiveTail(capacity: options.liveTailCapacity)
        self.shared = Mutex(StoreShared(index: recovered.index, segments: recovered.segments, tail: tail, closed: nil))
        self.notifier = HeadNotifier(head: recovered.index.head)
        self.lockFile = Mutex(lockFile)
    }

    /// Queues an append for the writer; its completion runs after the batch is durable (at once
    /// when the store has stopped or is closing).
    func enqueue(_ request: AppendRequest) {
        let (rejected, signal) = queue.withLock { queue -> (EventStoreError?, Bool) in
            if let stopped = queue.stopped { return (stopped, false) }
            if queue.stopping { return (.closed(reason: "the store is closing"), false) }
            queue.requests.append(request)
            if queue.writerSleeping {
                queue.writerSleeping = false
                return (nil, true)
            }
            if queue.gatherTarget > 0 && queue.requests.count >= queue.gatherTarget {
                queue.gatherTarget = 0
                return (nil, true)
            }
            return (nil, false)
        }
        if let rejected { request.completion.resume(returning: .failure(rejected)) }
        if signal { wakeWriter.signal() }
    }

    /// Returns once the writer has stopped (closed or failed), with the reason.
    func waitUntilStopped() async -> EventStoreError {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let done = queue.withLock { queue -> Bool in
                if queue.stopped != nil { return true }
                queue.stopWaiters.append(continuation)  // resumed by the writer as it stops
                return false
            }
            if done { continuation.resume() }
        }
        return queue.withLock { $0.stopped } ?? .closed(reason: "the store was closed")
    }

    /// Asks the writer to finish the queued appends and stop; returns once it has.
    func close() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let (done, signal) = queue.withLock { queue -> (Bool, Bool) in
                if queue.stopped != nil { return (true, false) }
                queue.stopping = true
                queue.stopWaiters.append(continuation)
                let signal = queue.writerSleeping
                queue.writerSleeping = false
                return (false, signal)
            }
            if done { continuation.resume() }
            if signal { wakeWriter.signal() }
        }
    }

    // MARK: Reads

    /// The stored result of the append whose command id is `commandID`.
    func appendResult(forCommand commandID: String) -> AppendResult? {
        let (position, location, segments) = shared.withLock { shared -> (UInt64?, (segment: Int, offset: UInt64)?, [Segment]) in
            guard let position = shared.index.position(ofCommand: commandID) else { return (nil, nil, []) }
            return (position, shared.index.location(of: position), shared.segments)
        }
        guard let position, let location,
              let record = try? LogReader.readRecord(position: position, at: location, segments: segments) else { return nil }
        var result = AppendPlanner.storedResult(position: position, appendIndex: record.appendIndex, appendCount: record.appendCount,
                                                streamVersion: record.event.streamVersion, expectedCount: nil)
        result?.stream = record.event.streamID
        return result
    }

    func head() -> UInt64 {
        shared.withLock { $0.index.head }
    }

    func streamVersion(_ stream: StreamID) -> UInt64 {
        shared.withLock { $0.index.version(of: stream) }
    }

    /// Events of `stream` from `version` (inclusive), at most `maxCount`, in `direction`.
    func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection) throws(EventStoreError) -> [RecordedEvent] {
        enum Slot {
            case memory(RecordedEvent)
            case disk(position: UInt64, segment: Int, offset: UInt64)
        }
        let (slots, segments, closed) = shared.withLock { shared -> ([Slot], [Segment], EventStoreError?) in
            guard shared.closed == nil else { return ([], [], shared.closed) }
            guard maxCount > 0, let positions = shared.index.positions(of: stream), !positions.isEmpty else { return ([], [], nil) }
            let count = UInt64(positions.count)
            let versions: [UInt64]
            switch direction {
            case .forward:
                let first = max(version, 1)
                guard first <= count else { return ([], [], nil) }
                versions = Array(first...min(count, first + UInt64(maxCount) - 1))
            case .backward:
                guard version >= 1 else { return ([], [], nil) }
                let first = min(version, count)
                let last = first >= UInt64(maxCount) ? first - UInt64(maxCount) + 1 : 1
                versions = Array((last...first).reversed())
            }
            let slots = versions.map { version -> Slot in
                let position = positions[Int(version - 1)]
                if let event = shared.tail.event(at: position) { return .memory(event) }
                let location = shared.index.location(of: position)!
                return .disk(position: position, segment: location.segment, offset: location.offset)
            }
            return (slots, shared.segments, nil)
        }
        if let closed { throw closed }
        var events: [RecordedEvent] = []
        events.reserveCapacity(slots.count)
        for slot in slots {
            switch slot {
            case let .memory(event):
                events.append(event)
            case let .disk(position, segment, offset):
                events.append(try LogReader.readRecord(position: position, at: (segment, offset), segments: segments).event)
            }
        }
        return events
    }

    /// Events of `$all` matching `filter`, from `position` (inclusive), at most `maxCount`, having
    /// examined at most `options.maxEventsExaminedPerRead` events (`nextPosition` says where to go on).
    func readAll(from position: UInt64, filter: CompiledFilter, maxCount: Int) throws(EventStoreError) -> (page: ReadAllSlice, head: UInt64, fromDisk: Bool) {
        enum Plan {
            case done([RecordedEvent], next: UInt64)
            case disk(start: (segment: Int, offset: UInt64), segments: [Segment])
        }
        let from = max(position, 1)
        let (plan, head, closed) = shared.withLock { shared -> (Plan, UInt64, EventStoreError?) in
            let head = shared.index.head
            guard shared.closed == nil else { return (.done([], next: from), head, shared.closed) }
            guard from <= head, maxCount > 0 else { return (.done([], next: from), head, nil) }
            guard shared.tail.contains(from) else {
                return (.disk(start: shared.index.location(of: from)!, segments: shared.segments), head, nil)
            }
            var events: [RecordedEvent] = []
            var next = from
            let last = min(head, from &+ UInt64(options.maxEventsExaminedPerRead) &- 1)
            while next <= last && events.count < maxCount {
                if filter.isAll || shared.tail.event(at: next, passes: filter) { events.append(shared.tail.event(at: next)!) }
                next += 1
            }
            return (.done(events, next: next), head, nil)
        }
        if let closed { throw closed }
        switch plan {
        case let .done(events, next):
            return (ReadAllSlice(events: events, nextPosition: LogPosition(next), isEndOfLog: next > head), head, false)
        case let .disk(start, segments):
            let last = min(head, from &+ UInt64(options.maxEventsExaminedPerRead) &- 1)
            let (events, next) = try LogReader.readForward(from: from, start: start, head: last, segments: segments, filter: filter, maxCount: maxCount)
            return (ReadAllSlice(events: events, nextPosition: LogPosition(next), isEndOfLog: next > head), head, true)
        }
    }
}

extension StoreCore: SubscriptionSource {
    func subscriptionPage(_ target: SubscriptionTarget, from: UInt64, maxCount: Int) throws(EventStoreError) -> SubscriptionPage {
        switch target {
        case let .all(filter):
            let (page, head, fromDisk) = try readAll(from: from, filter: CompiledFilter(filter), maxCount: maxCount)
            return SubscriptionPage(events: page.events, next: page.nextPosition.value, head: head, reachedEnd: page.isEndOfLog, fromDisk: fromDisk)
        case let .stream(stream):
            let head = self.head()
            let events = try readStream(stream, from: max(from, 1), maxCount: maxCount, direction: .forward)
            let next = events.last.map { $0.streamVersion + 1 } ?? max(from, 1)
            let oldest = shared.withLock { $0.tail.oldest ?? UInt64.max }
            let fromDisk = events.contains { $0.position.value < oldest }
            let pageHead = max(head, events.last?.position.value ?? 0)
            return SubscriptionPage(events: events, next: next, head: pageHead, reachedEnd: next > streamVersion(stream), fromDisk: fromDisk)
        }
    }

    func waitForHead(beyond position: UInt64) async -> HeadNotifier.Outcome {
        await notifier.wait(beyond: position)
    }
}
