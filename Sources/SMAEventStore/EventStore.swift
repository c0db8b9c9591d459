/// The event-store interface: an append-only log of streams with optimistic concurrency,
/// idempotent appends, reads and gapless subscriptions.
///
/// ``FileEventStore`` is the durable embedded implementation; ``InMemoryEventStore`` is a test double.
public protocol EventStore: Sendable {
    /// Appends events to one stream atomically, if the stream is at the expected version.
    ///
    /// Returns once the events are durable. Retrying an append whose event ids (or command id)
    /// were already stored returns the original result and writes nothing.
    /// - Parameters:
    ///   - stream: The stream to append to.
    ///   - expectedVersion: The version the stream must be at; a mismatch throws
    ///     ``EventStoreError/wrongExpectedVersion(stream:expected:current:)``.
    ///   - events: The events, at least one.
    func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData]) async throws(EventStoreError) -> AppendResult

    /// Reads up to `maxCount` events of a stream starting at version `from` (inclusive).
    ///
    /// Backward reads starting beyond the stream's end start at its last event.
    func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection) async throws(EventStoreError) -> [RecordedEvent]

    /// Reads up to `maxCount` events of `$all` that pass `filter`, from `position` (inclusive).
    func readAll(from position: LogPosition, filter: EventFilter, maxCount: Int) async throws(EventStoreError) -> ReadAllSlice

    /// Subscribes to `$all` from `position` (inclusive): catch-up from disk, then live.
    func subscribeToAll(from position: LogPosition, filter: EventFilter) -> EventSubscription

    /// Subscribes to one stream from `version` (inclusive): catch-up, then live.
    func subscribe(to stream: StreamID, from version: UInt64) -> EventSubscription

    /// The stream's current version (0 if it has no events).
    func streamVersion(_ stream: StreamID) async -> UInt64

    /// The position of the last durable event (``LogPosition/none`` when empty).
    var headPosition: LogPosition { get async }

    /// The result of the earlier append that carried `commandID` in its metadata, if any:
    /// lets a retried command answer with its original outcome before deciding again.
    func appendResult(forCommand commandID: String) async -> AppendResult?
}

/// An event store that can also answer without a task: appends report their outcome through a
/// callback and command ids are looked up synchronously. Lets a caller on an event loop run a
/// command from request to durable reply without suspending (``FileEventStore``).
public protocol CallbackEventStore: EventStore {
    /// ``EventStore/append(to:expectedVersion:events:)`` reporting through `completion`, which is
    /// called once, on the store's writer thread, after the events are durable (or the append
    /// failed) — or at once, on the caller's thread, when the store has stopped or is closing.
    /// It must return quickly and never block.
    func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData],
                completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void)

    /// ``EventStore/appendResult(forCommand:)`` without suspending.
    func appendResultNow(forCommand commandID: String) -> AppendResult?
}
