import Foundation
import SMAApplication
import SMADomain
import SMAEventStore
import Synchronization
import Testing

/// The callback path (`execute(…, completion:)`) the command RPCs use: on a FileEventStore with
/// the state cached it runs without a task; otherwise it falls back to the async path. Either
/// way it must give the same outcomes, refusals and retries as `execute` itself.
/// A FileEventStore that counts which form of append it was asked for.
final class CountingStore: CallbackEventStore {
    let base: FileEventStore
    let callbackAppends = Atomic<Int>(0)
    let asyncAppends = Atomic<Int>(0)

    init(_ base: FileEventStore) { self.base = base }

    func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData],
                completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void) {
        callbackAppends.add(1, ordering: .relaxed)
        base.append(to: stream, expectedVersion: expectedVersion, events: events, completion: completion)
    }

    func appendResultNow(forCommand commandID: String) -> AppendResult? { base.appendResultNow(forCommand: commandID) }

    func append(to stream: StreamID, expectedVersion: ExpectedVersion, events: [EventData]) async throws(EventStoreError) -> AppendResult {
        asyncAppends.add(1, ordering: .relaxed)
        return try await base.append(to: stream, expectedVersion: expectedVersion, events: events)
    }

    func readStream(_ stream: StreamID, from version: UInt64, maxCount: Int, direction: ReadDirection) async throws(EventStoreError) -> [RecordedEvent] {
        try await base.readStream(stream, from: version, maxCount: maxCount, direction: direction)
    }

    func readAll(from position: LogPosition, filter: EventFilter, maxCount: Int) async throws(EventStoreError) -> ReadAllSlice {
        try await base.readAll(from: position, filter: filter, maxCount: maxCount)
    }

    func subscribeToAll(from position: LogPosition, filter: EventFilter) -> EventSubscription { base.subscribeToAll(from: position, filter: filter) }
    func subscribe(to stream: StreamID, from version: UInt64) -> EventSubscription { base.subscribe(to: stream, from: version) }
    func streamVersion(_ stream: StreamID) async -> UInt64 { await base.streamVersion(stream) }
    var headPosition: LogPosition { get async { await base.headPosition } }
    func appendResult(forCommand commandID: String) async -> AppendResult? { await base.appendResult(forCommand: commandID) }

    /// (callback appends, async appends) so far.
    var counts: (Int, Int) { (callbackAppends.load(ordering: .relaxed), asyncAppends.load(ordering: .relaxed)) }
}

@Suite("CommandExecutor: the callback path gives the async path's outcomes")
struct CommandExecutorCallbackTests {
    let stream = StreamName.vehicle(Fixture.vin)

    /// Runs the callback path and waits for its one completion (a second one fails the test).
    private func execute(_ executor: CommandExecutor<VehicleAggregate>, _ command: VehicleCommand, commandId: String,
                         expectedVersion: UInt64? = nil) async -> Result<CommandOutcome, CommandError> {
        let calls = Atomic<Int>(0)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<CommandOutcome, CommandError>, Never>) in
            executor.execute(command, on: stream, caller: Fixture.admin, options: Fixture.options(commandId, expectedVersion: expectedVersion)) { result in
                if calls.add(1, ordering: .relaxed).newValue == 1 { continuation.resume(returning: result) }
            }
        }
        try? await Task.sleep(for: .milliseconds(20))
        #expect(calls.load(ordering: .relaxed) == 1, "completion called \(calls.load(ordering: .relaxed)) times")
        return result
    }

    private func record(_ km: Int64) -> VehicleCommand { .recordOdometer(vin: Fixture.vin, reading: .km(km)) }

    private var register: VehicleCommand {
        .register(vin: Fixture.vin, dealershipId: Fixture.dealershipId, make: "Honda", model: "Accord", year: 2003,
                  ownerCustomerId: "c-1", odometer: .km(1_000))
    }

    @Test("cold then cached: outcomes, retries, refusals and conflicts match the async path")
    func outcomes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try FileEventStore.open(directory: directory.path)
        let store = CountingStore(file)
        let vehicles = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        // Nothing cached yet: the first command takes the async path through the callback API.
        #expect(try await execute(vehicles, register, commandId: "register-1").get()
            == CommandOutcome(streamId: stream, streamVersion: 1, logPosition: 1, eventCount: 1))
        #expect(store.counts == (0, 1))
        // Cached now: decided at once, appended through the callback, answered once durable.
        let first = try await execute(vehicles, record(1_500), commandId: "odo-1").get()
        #expect(first == CommandOutcome(streamId: stream, streamVersion: 2, logPosition: 2, eventCount: 1))
        #expect(store.counts == (1, 1))
        // A retry answers with the original outcome and appends nothing, even with another body.
        #expect(try await execute(vehicles, record(9_999), commandId: "odo-1").get() == first)
        // The same id on another stream is an invalid request.
        let elsewhere = await withCheckedContinuation { continuation in
            vehicles.execute(record(2_000), on: "vehicle-other", caller: Fixture.admin, options: Fixture.options("odo-1")) { continuation.resume(returning: $0) }
        }
        guard case .failure(.invalidRequest(let field, _)) = elsewhere else { Issue.record("expected invalidRequest, got \(elsewhere)"); return }
        #expect(field == "options.command_id")
        // A domain refusal (the odometer went backwards) appends nothing.
        guard case .failure(.domain) = await execute(vehicles, record(1_200), commandId: "odo-2") else { Issue.record("expected a refusal"); return }
        // A stale expected version is a conflict carrying the current version.
        guard case .failure(.versionConflict(_, let expected, let current)) = await execute(vehicles, record(1_600), commandId: "odo-3", expectedVersion: 1) else {
            Issue.record("expected a version conflict"); return
        }
        #expect(expected == 1 && current == 2)
        #expect(try await execute(vehicles, record(1_600), commandId: "odo-4", expectedVersion: 2).get().streamVersion == 3)
        #expect(await store.streamVersion(StreamID(stream)) == 3)
        // A retry whose decision no longer holds (the odometer moved on), or whose expected
        // version is stale by now, still gets the original outcome, not a refusal.
        #expect(try await execute(vehicles, record(1_500), commandId: "odo-1").get() == first)
        #expect(try await execute(vehicles, record(1_500), commandId: "odo-1", expectedVersion: 1).get() == first)
        // Refusals and conflicts were answered without asking the store to append; the retry
        // whose decision still held was asked, and the store recognised its command id (the
        // stream's version above shows nothing more was written). Every append after the first
        // went through the callback.
        #expect(store.counts == (3, 1))
        await file.close()
    }

    @Test("a concurrent writer's win is decided again on fresh state, as on the async path")
    func staleCacheIsRetried() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try FileEventStore.open(directory: directory.path)
        let store = CountingStore(file)
        let vehicles = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let other = CommandExecutor<VehicleAggregate>(store: file, clock: Fixture.clock)
        _ = try await execute(vehicles, register, commandId: "register-1").get()
        _ = try await execute(vehicles, record(1_100), commandId: "odo-1").get()  // cached at version 2
        // Another executor (its own cache) appends: this one's cached version is now stale.
        _ = try await other.execute(record(1_200), on: stream, caller: Fixture.admin, options: Fixture.options("odo-2"))
        let before = store.counts
        let outcome = try await execute(vehicles, record(1_300), commandId: "odo-3").get()
        #expect(outcome.streamVersion == 4)
        // The callback append met the conflict; the async retry appended on fresh state.
        #expect(store.counts == (before.0 + 1, before.1 + 1))
        // Decided again on the state the other executor wrote: a reading below it is refused.
        _ = try await other.execute(record(1_400), on: stream, caller: Fixture.admin, options: Fixture.options("odo-4"))
        guard case .failure(.domain) = await execute(vehicles, record(1_350), commandId: "odo-5") else {
            Issue.record("expected a refusal decided on fresh state"); return
        }
        #expect(await store.streamVersion(StreamID(stream)) == 5)
        await file.close()
    }

    @Test("on a store without callbacks (in memory) the callback path runs the async one")
    func inMemoryStore() async throws {
        let vehicles = CommandExecutor<VehicleAggregate>(store: InMemoryEventStore(), clock: Fixture.clock)
        _ = try await execute(vehicles, register, commandId: "register-1").get()
        #expect(try await execute(vehicles, record(1_500), commandId: "odo-1").get().streamVersion == 2)
        guard case .failure(.invalidRequest) = await execute(vehicles, record(1_600), commandId: "") else { Issue.record("expected invalidRequest"); return }
    }
}
