import Foundation
import SMAApplication
import SMADomain
import SMAEventStore
import Synchronization
import Testing

/// The callback path (`execute(…, completion:)`) the command RPCs use: on a FileEventStore with
/// the state cached it runs without a task; otherwise it falls back to the async path. Either
/// way it must give the same outcomes, refusals and retries as `execute` itself.
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
        let store = try FileEventStore.open(directory: directory.path)
        let vehicles = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        // Nothing cached yet: the first command takes the async path through the callback API.
        #expect(try await execute(vehicles, register, commandId: "register-1").get()
            == CommandOutcome(streamId: stream, streamVersion: 1, logPosition: 1, eventCount: 1))
        // Cached now: decided at once, answered once durable.
        let first = try await execute(vehicles, record(1_500), commandId: "odo-1").get()
        #expect(first == CommandOutcome(streamId: stream, streamVersion: 2, logPosition: 2, eventCount: 1))
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
        await store.close()
    }

    @Test("a concurrent writer's win is decided again on fresh state, as on the async path")
    func staleCacheIsRetried() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        let vehicles = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let other = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        _ = try await execute(vehicles, register, commandId: "register-1").get()
        _ = try await execute(vehicles, record(1_100), commandId: "odo-1").get()  // cached at version 2
        // Another executor (its own cache) appends: this one's cached version is now stale.
        _ = try await other.execute(record(1_200), on: stream, caller: Fixture.admin, options: Fixture.options("odo-2"))
        let outcome = try await execute(vehicles, record(1_300), commandId: "odo-3").get()
        #expect(outcome.streamVersion == 4)
        // Decided again on the state the other executor wrote: a reading below it is refused.
        _ = try await other.execute(record(1_400), on: stream, caller: Fixture.admin, options: Fixture.options("odo-4"))
        guard case .failure(.domain) = await execute(vehicles, record(1_350), commandId: "odo-5") else {
            Issue.record("expected a refusal decided on fresh state"); return
        }
        #expect(await store.streamVersion(StreamID(stream)) == 5)
        await store.close()
    }

    @Test("on a store without callbacks (in memory) the callback path runs the async one")
    func inMemoryStore() async throws {
        let vehicles = CommandExecutor<VehicleAggregate>(store: InMemoryEventStore(), clock: Fixture.clock)
        _ = try await execute(vehicles, register, commandId: "register-1").get()
        #expect(try await execute(vehicles, record(1_500), commandId: "odo-1").get().streamVersion == 2)
        guard case .failure(.invalidRequest) = await execute(vehicles, record(1_600), commandId: "") else { Issue.record("expected invalidRequest"); return }
    }
}
