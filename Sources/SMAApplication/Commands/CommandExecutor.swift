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
    /// `store` when it can answer through callbacks (cast once here, not per command).
    @usableFromInline let callbackStore: (any CallbackEventStore)?
    @usableFromInline let cache: StateCache<A.State>
    @usableFromInline let clock: @Sendable () -> Timestamp
    @usableFromInline let maxAttempts: Int

    public init(store: any EventStore, clock: @escaping @Sendable () -> Timestamp, cacheCapacity: Int = 200_000, maxAttempts: Int = 8) {
        self.store = store
        self.callbackStore = store as? any CallbackEventStore
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
            let data = Self.eventData(events, stream: stream, caller: caller, options: options)
            do {
                let result = try await store.append(to: StreamID(stream), expectedVersion: version == 0 ? .noStream : .exact(version), events: data)
                return appended(result, events: events, after: state, stream: stream, key: key)
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

    /// ``execute(_:on:caller:options:)`` reporting through `completion` — without a task when it
    /// can: with a ``CallbackEventStore`` and the stream's state cached, the command is decided at
    /// once and `completion` runs on the store's writer thread once the events are durable (at
    /// once, on this thread, when the store has stopped or the answer is not an append).
    /// Otherwise (a state to fold from the log, a concurrent writer's win to retry) the rest runs
    /// as a task. Either way `completion` is called exactly once.
    @inlinable
    public func execute(_ command: A.Command, on stream: String, caller: Caller, options: CommandOptions,
                        completion: @escaping @Sendable (Result<CommandOutcome, CommandError>) -> Void) {
        guard let store = callbackStore, !options.commandId.isEmpty else {
            return executeAsTask(command, on: stream, caller: caller, options: options, completion: completion)
        }
        let key = HashedString(stream)
        guard let (entry, slot) = cache.getWithSlot(key) else {
            return executeAsTask(command, on: stream, caller: caller, options: options, completion: completion)
        }
        // A retried command id gets its original outcome. Appended again, the store recognises
        // it (below); only an answer that is not an append — a refusal, a no-op — first looks
        // the id up, so the common new command pays no extra index lookup.
        let (version, state) = (entry.version, entry.state)
        if let expected = options.expectedVersion, expected != version {
            return completion(Self.original(of: options.commandId, stream: stream, in: store)
                ?? .failure(.versionConflict(stream: stream, expected: expected, current: version)))
        }
        let events: [A.Event]
        do {
            events = try A.decide(command, state, DecisionContext(caller: caller, now: clock()))
        } catch {
            return completion(Self.original(of: options.commandId, stream: stream, in: store) ?? .failure(.domain(error)))
        }
        if events.isEmpty {
            return completion(Self.original(of: options.commandId, stream: stream, in: store)
                ?? .success(CommandOutcome(streamId: stream, streamVersion: version, logPosition: 0, eventCount: 0)))
        }
        let data = Self.eventData(events, stream: stream, caller: caller, options: options)
        store.append(to: StreamID(stream), expectedVersion: version == 0 ? .noStream : .exact(version), events: data) { [self] result in
            switch result {
            case .success(let appended) where appended.deduplicated:
                // The command id was already appended (a retry, or a concurrent twin): its
                // original outcome, not this decision, which was not written.
                // (Looked up by id, published by now: the lookup also tells its stream.)
                cache.remove(key)
                completion(Self.original(of: options.commandId, stream: stream, in: store)
                    ?? Result { () throws(CommandError) in try Self.outcome(of: appended, commandId: options.commandId, stream: stream) })
            case .success(let appended):
                completion(.success(self.appended(appended, events: events, after: state, stream: stream, key: key, slot: slot)))
            case .failure(.wrongExpectedVersion(_, _, let current)):
                cache.remove(key)
                if let expected = options.expectedVersion {
                    return completion(.failure(.versionConflict(stream: stream, expected: expected, current: current)))
                }
                // A concurrent writer won: decide again on fresh state, as the async path does.
                executeAsTask(command, on: stream, caller: caller, options: options, completion: completion)
            case .failure(let error):
                completion(.failure(.store(error)))
            }
        }
    }

    /// The original outcome of `commandId` if the store has it (see the callback `execute`).
    @inlinable
    static func original(of commandId: String, stream: String, in store: any CallbackEventStore) -> Result<CommandOutcome, CommandError>? {
        guard let previous = store.appendResultNow(forCommand: commandId) else { return nil }
        return Result { () throws(CommandError) in try outcome(of: previous, commandId: commandId, stream: stream) }
    }

    @usableFromInline
    func executeAsTask(_ command: A.Command, on stream: String, caller: Caller, options: CommandOptions,
                       completion: @escaping @Sendable (Result<CommandOutcome, CommandError>) -> Void) {
        Task {
            do throws(CommandError) {
                completion(.success(try await execute(command, on: stream, caller: caller, options: options)))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// The events of a decision as the store takes them: ids derived from the command id.
    @inlinable
    static func eventData(_ events: [A.Event], stream: String, caller: Caller, options: CommandOptions) -> [EventData] {
        events.enumerated().map { index, event in
            EventData(
                eventID: EventIdentity.eventID(commandId: options.commandId, stream: stream, index: index),
                eventType: event.eventType, schemaVersion: UInt32(event.schemaVersion),
                metadata: EventMetadata(commandID: options.commandId, correlationID: options.correlationId,
                                        causationID: options.causationId, subject: caller.subject),
                payload: A.encode(event))
        }
    }

    /// Remembers the state after an append of `events` (in `slot`, where the state was read
    /// from, when given) and returns the command's outcome.
    @inlinable
    func appended(_ result: AppendResult, events: [A.Event], after state: A.State?, stream: String, key: HashedString,
                  slot: StateCache<A.State>.Slot? = nil) -> CommandOutcome {
        if result.deduplicated {
            // A concurrent execution of the same command id was appended first: this
            // decision was not written, so neither its state nor its event count counts.
            cache.remove(key)
            return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion, logPosition: result.lastPosition.value,
                                  eventCount: Int(result.lastPosition.value - result.firstPosition.value + 1))
        }
        var next = state
        for event in events { next = A.State.evolve(next, event) }
        let entry = StateCache<A.State>.Entry(version: result.nextExpectedVersion, state: next)
        if let slot { cache.update(slot, entry) } else { cache.put(key, entry) }
        return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion,
                              logPosition: result.lastPosition.value, eventCount: events.count)
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
        return try Self.outcome(of: result, commandId: commandId, stream: stream)
    }

    /// The outcome of the earlier append made for `commandId`, if it was on `stream`.
    @inlinable
    static func outcome(of result: AppendResult, commandId: String, stream: String) throws(CommandError) -> CommandOutcome {
        if let original = result.stream, original.rawValue != stream {
            throw .invalidRequest(field: "options.command_id",
                                  reason: "'\(commandId)' was already used for a command on \(original.rawValue); every command needs its own id")
        }
        return CommandOutcome(streamId: stream, streamVersion: result.nextExpectedVersion,
                              logPosition: result.lastPosition.value,
                              eventCount: Int(result.lastPosition.value - result.firstPosition.value + 1))
    }
}
