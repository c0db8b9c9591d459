#if canImport(Glibc)
import Glibc
#endif

/// The durable embedded event store: segment files in a data directory, one writer thread with
/// group commit, an in-memory index checkpointed to disk.
///
/// Layout: `<directory>/LOCK` (held with `flock` while open), `<directory>/segments/<first position>.log`,
/// `<directory>/index.checkpoint` and `<directory>/index.delta.<first position>`. Call ``close()`` when done: it finishes queued appends, writes a
/// checkpoint and releases the lock.
public final class FileEventStore: CallbackEventStore {
    let core: StoreCore

    private init(core: StoreCore) {
        self.core = core
    }

    /// Opens (creating if needed) the store in `directory`, recovering from any crash.
    ///
    /// - Throws: ``EventStoreError/locked(path:)`` if another process or store has it open;
    ///   ``EventStoreError/corrupt(file:offset:reason:)`` if the log is damaged other than by a torn tail.
    public static func open(directory: String, options: Options = Options()) throws(EventStoreError) -> FileEventStore {
        try FileSystem.makeDirectory(directory)
        let lockPath = directory + "/LOCK"
        let lockFile = try FileDescriptor.open(lockPath, flags: O_RDWR | O_CREAT)
        guard try lockFile.tryLockExclusive() else { throw .locked(path: lockPath) }
        let segmentsDirectory = directory + "/segments"
        try FileSystem.makeDirectory(segmentsDirectory)
        let (checkpoint, unusedDeltas) = Checkpoint.load(directory: directory)
        let recovered = try LogRecovery.recover(segmentsDirectory: segmentsDirectory, checkpoint: consume checkpoint)
        // Deltas left out of the chain are covered by the snapshot or superseded: the writer's first
        // delta starts where the chain ended and holds everything scanned after it.
        for path in unusedDeltas + IndexDelta.leftoverTemporaryFiles(in: directory) { FileSystem.remove(path) }
        let core = StoreCore(directory: directory, options: options, recovered: recovered, lockFile: lockFile)
        let writer = try LogWriter(core: core, recovered: recovered)
        writer.start()
        return FileEventStore(core: core)
    }

    /// Waits until the store has stopped and returns why: ``EventStoreError/closed(reason:)``
    /// after ``close()``, or the error that stopped its writer (a failed write or sync — e.g. a
    /// full disk: the writer stops at the first one, so nothing written after a lost write is
    /// ever acknowledged; every later append fails with that error).
    public func stopped() async -> EventStoreError {
        await core.waitUntilStopped()
    }

    /// Finishes the queued appends, writes a checkpoint, stops the writer and unlocks the directory.
    /// Later calls fail with ``EventStoreError/closed(reason:)``; subscriptions end with that error.
    public func close() async {
        await core.close()
    }

    public func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData]) async throws(EventStoreError) -> AppendResult {
        let result = await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<AppendResult, EventStoreError>, Never>) in
            core.enqueue(AppendRequest(stream: stream, expected: expectedVersion, events: events, completion: .continuation(continuation)))
        }
        return try result.get()
    }

    public func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData],
                       completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void) {
        core.enqueue(AppendRequest(stream: stream, expected: expectedVersion, events: events, completion: .callback(completion)))
    }

    public func appendResultNow(forCommand commandID: String) -> AppendResult? {
        core.appendResult(forCommand: commandID)
    }

    public func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection = .forward) async throws(EventStoreError) -> [RecordedEvent] {
        try core.readStream(stream, from: version, maxCount: maxCount, direction: direction)
    }

    public func readAll(from position: LogPosition, filter: EventFilter = .all, maxCount: Int) async throws(EventStoreError) -> ReadAllSlice {
        try core.readAll(from: position.value, filter: CompiledFilter(filter), maxCount: maxCount).page
    }

    public func subscribeToAll(from position: LogPosition, filter: EventFilter = .all) -> EventSubscription {
        EventSubscription(source: core, target: .all(filter), start: max(position.value, 1))
    }

    public func subscribe(to stream: StreamID, from version: UInt64) -> EventSubscription {
        EventSubscription(source: core, target: .stream(stream), start: max(version, 1))
    }

    public func appendResult(forCommand commandID: String) async -> AppendResult? {
        core.appendResult(forCommand: commandID)
    }

    public func streamVersion(_ stream: StreamID) async -> UInt64 {
        core.streamVersion(stream)
    }

    public var headPosition: LogPosition {
        get async { LogPosition(core.head()) }
    }
}
