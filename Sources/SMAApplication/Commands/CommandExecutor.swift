import Foundation
import SMADomain
import SMAEventStore

/// Runs commands against one aggregate type: load state → decide → append with optimistic
/// concurrency and the command id for idempotency → remember the new state.
///
/// - A retried command (same command id) returns the original outcome and writes nothing,
///   also after a restart (the store indexes command ids).
/// - With an expected version from the client, a mismatch is a ``CommandError/versionConflict``.
///   Without one, a concurrent writer's win is retried on fresh state, up to `maxAttempts`.
public final class CommandExecutor<A: Aggregate>: Sendable {
    // `@usableFromInline` + `@inlinable` below: the executor is specialised for each aggregate in
    // the module that uses it (unspecialised generic code cost ~8% of a command in metadata lookups).
    @usableFromInline let store: any EventStore
    @usableFromInline let cache: StateCache<A.State>
    @usableFromInline let clock: @Sendable () -> Timestamp
    @usableFromInline let maxAttempts: Int

    public init(store: any EventStore, clock: @escaping @Sendable () -> Timestamp, cacheCapacity: Int = 200_000, maxAttempts: Int = 8) {
        self.store = store
        self.clock = clock
        self.cache = StateCache(capacity: cacheCapacity)
        self.maxAttempts = maxAttempts
    }

    /// Executes `command` on `stream` for `caller`.
    @inlinable
    public func execute(_ command: A.Command, on stream: String, caller: Caller, options: CommandOptions) async throws(CommandError) -> CommandOutcome {
        guard !options.commandId.isEmpty else {
            throw .invalidRequest(field: "options.command_id", reason: "is required: a unique id per command (e.g. a UUID) makes retries safe")
        }
        if let previous = try await previousOutcome(of: options.commandId, stream: stream) { return previous }
        let key = HashedString(stream)
        var attempt = 0
        while true {
            attempt += 1
            let (version, state) = try await load(stream, key: key)
            if let expected = options.expectedVersion, expected != version {
                throw .versionConflict(stream: stream, expected: expected, current: version)
            }
            let context = DecisionContext(caller: caller, now: clock())
            let events: [A.Event]
            do {
                events = try A.decide(command, state, context)
            } catch {
                throw .domain(error)
            }
            if events.isEmpty {
                return CommandOutcome(streamId: stream, streamVersion: version, logPosition: 0, eventCount: 0)
            }
            let data = events.enumerated().map { index, event in
                EventData(
                    eventID: EventIdentity.eventID(commandId: options.commandId, stream: stream, index: index),
                    eventType: event.eventType, schemaVersion: UInt32(event.schemaVersion),
                    metadata: EventMetadata(commandID: options.commandId, correlationID: options.correlationId,
                                            causationID: options.causationId, subject: caller.subject),
                    payload: A.encode(event))
            }
            do {
                let result = try await store.append(to: StreamID(stream), expectedVersion: version == 0 ? .noStream : .exact(version), events: data)
                if result.deduplicated {
                    // A concurrent execution of the same command id was appended first: this
                    // decision was not written, so neither its state nor its event count counts.
                    cache.remove(key)
                    return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion, logPosition: result.lastPosition.value,
                                          eventCount: Int(result.lastPosition.value - result.firstPosition.value + 1))
                }
                var next = state
                for event in events { next = A.State.evolve(next, event) }
                cache.put(key, .init(version: result.nextExpectedVersion, state: next))
                return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion,
                                      logPosition: result.lastPosition.value, eventCount: events.count)
            } catch .wrongExpectedVersion(_, _, let current) {
                cache.remove(key)
                if let expected = options.expectedVersion {
                    throw .versionConflict(stream: stream, expected: expected, current: current)
                }
                if attempt >= maxAttempts { throw .contention(stream: stream, attempts: attempt) }
            } catch {
                throw .store(error)
            }
        }
    }

    /// The current version and state of `stream` (cached, or folded from the log).
    @inlinable
    public func load(_ stream: String) async throws(CommandError) -> (UInt64, A.State?) {
        try await load(stream, key: HashedString(stream))
    }

    /// ``load(_:)`` with the stream id's cache key already hashed.
    @inlinable
    func load(_ stream: String, key: HashedString) async throws(CommandError) -> (UInt64, A.State?) {
        if let entry = cache.get(key) { return (entry.version, entry.state) }
        var state: A.State?
        var version: UInt64 = 0
        while true {
            let batch: [RecordedEvent]
            do {
                batch = try await store.readStream(StreamID(stream), from: version + 1, maxCount: 1024, direction: .forward)
            } catch {
                throw .store(error)
            }
            for recorded in batch {
                let event = try A.decode(eventType: recorded.eventType, payload: recorded.payload)
                state = A.State.evolve(state, event)
                version = recorded.streamVersion
            }
            if batch.count < 1024 { break }
            // A long stream is folded a batch at a time, letting the event loop's other calls run.
            await Task.yield()
        }
        cache.put(key, .init(version: version, state: state))
        return (version, state)
    }

    @inlinable
    func previousOutcome(of commandId: String, stream: String) async throws(CommandError) -> CommandOutcome? {
        guard let result = await store.appendResult(forCommand: commandId) else { return nil }
        if let original = result.stream, original.rawValue != stream {
            throw .invalidRequest(field: "options.command_id",
                                  reason: "'\(commandId)' was already used for a command on \(original.rawValue); every command needs its own id")
        }
        return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion,
                              logPosition: result.lastPosition.value,
                              eventCount: Int(result.lastPosition.value - result.firstPosition.value + 1))
    }
}
