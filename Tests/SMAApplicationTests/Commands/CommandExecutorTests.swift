import Foundation
import SMAApplication
import SMADomain
import SMAEventStore
import Testing

@Suite("CommandExecutor: load, decide, append with idempotency and optimistic concurrency")
struct CommandExecutorTests {
    let store = InMemoryEventStore()
    let vehicles: CommandExecutor<VehicleAggregate>
    let stream = StreamName.vehicle(Fixture.vin)

    init() {
        vehicles = CommandExecutor(store: store, clock: Fixture.clock)
    }

    private func register(odometer: Distance? = .km(1_000), commandId: String = "register-1") async throws -> CommandOutcome {
        try await vehicles.execute(
            .register(vin: Fixture.vin, dealershipId: Fixture.dealershipId, make: "Honda", model: "Accord", year: 2003,
                      ownerCustomerId: "c-1", odometer: odometer),
            on: stream, caller: Fixture.admin, options: Fixture.options(commandId))
    }

    private func record(_ reading: Distance, commandId: String = UUID().uuidString, expectedVersion: UInt64? = nil,
                        on executor: CommandExecutor<VehicleAggregate>? = nil) async throws(CommandError) -> CommandOutcome {
        try await (executor ?? vehicles).execute(.recordOdometer(vin: Fixture.vin, reading: reading), on: stream, caller: Fixture.admin,
                                                 options: Fixture.options(commandId, expectedVersion: expectedVersion))
    }

    @Test("a command appends its events and reports the stream version, log position and count")
    func happyPath() async throws {
        let first = try await register()
        #expect(first == CommandOutcome(streamId: stream, streamVersion: 1, logPosition: 1, eventCount: 1))
        let second = try await record(.km(1_500), commandId: "odo-1", expectedVersion: 1)
        #expect(second == CommandOutcome(streamId: stream, streamVersion: 2, logPosition: 2, eventCount: 1))

        let recorded = try await store.readStream(StreamID(stream), from: 1, maxCount: 10, direction: .forward)
        #expect(recorded.map(\.eventType) == ["VehicleRegistered", "OdometerRecorded"])
        #expect(recorded[1].metadata == EventMetadata(commandID: "odo-1", correlationID: "test", subject: "alice"))
        #expect(try VehicleAggregate.decode(eventType: recorded[1].eventType, payload: recorded[1].payload)
            == .odometerRecorded(.init(vin: Fixture.vin.value, reading: .km(1_500), recordedAt: Fixture.now, recordedBy: "alice")))
        let (version, state) = try await vehicles.load(stream)
        #expect(version == 2)
        #expect(state?.lastReading == OdometerReading(distance: .km(1_500), recordedAt: Fixture.now))
    }

    @Test("a retried command id returns the identical outcome and appends nothing, also on a cold executor")
    func retriedCommandId() async throws {
        _ = try await register()
        let original = try await record(.km(2_000), commandId: "odo-1")
        _ = try await record(.km(3_000), commandId: "odo-2")
        let head = await store.headPosition

        let retry = try await record(.km(2_000), commandId: "odo-1")
        #expect(retry == original)
        // The id decides: a retry whose body changed is still answered with the original outcome.
        let changedBody = try await record(.km(9_000), commandId: "odo-1")
        #expect(changedBody == original)
        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        #expect(try await record(.km(2_000), commandId: "odo-1", on: cold) == original)

        #expect(await store.headPosition == head)
        #expect(await store.streamVersion(StreamID(stream)) == 3)
    }

    @Test("a cold executor folds a stream longer than one read batch (1,024 events) to its last version and state")
    func longStreamFold() async throws {
        _ = try await register()
        for reading in 1...2_500 { _ = try await record(.km(1_000 + Int64(reading))) }
        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let (version, state) = try await cold.load(stream)
        #expect(version == 2_501)
        #expect(state?.lastReading?.distance == .km(3_500))
        // And it decides on that state: a lower reading is refused, a higher one appended at 2,502.
        #expect(await commandError { () throws(CommandError) in try await record(.km(3_000), on: cold) } != nil)
        #expect(try await record(.km(3_600), on: cold).streamVersion == 2_502)
    }

    @Test("a missing command id is an invalid request and appends nothing")
    func missingCommandId() async throws {
        let error = await commandError { () throws(CommandError) in try await record(.km(1), commandId: "") }
        guard case .invalidRequest(let field, _) = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(field == "options.command_id")
        #expect(await store.headPosition == .none)
    }

    @Test("a stale expected version is a version conflict carrying the current version")
    func staleExpectedVersion() async throws {
        _ = try await register()
        _ = try await record(.km(2_000))
        let head = await store.headPosition
        let error = await commandError { () throws(CommandError) in try await record(.km(3_000), expectedVersion: 1) }
        guard case .versionConflict(let conflictStream, let expected, let current) = error else {
            Issue.record("expected versionConflict, got \(String(describing: error))")
            return
        }
        #expect(conflictStream == stream && expected == 1 && current == 2)
        #expect(await store.headPosition == head)
    }

    @Test("an expected version on a stream that does not exist yet is a version conflict at 0")
    func expectedVersionOnNewStream() async {
        let error = await commandError { () throws(CommandError) in try await record(.km(3_000), expectedVersion: 4) }
        guard case .versionConflict(_, 4, 0) = error else {
            Issue.record("expected versionConflict(expected: 4, current: 0), got \(String(describing: error))")
            return
        }
    }

    @Test("a domain refusal is reported as .domain and appends nothing")
    func domainRefusal() async throws {
        let missing = await commandError { () throws(CommandError) in try await record(.km(3_000)) }
        #expect(missing?.refusal == .notFound(entity: "vehicle", id: Fixture.vin.value))

        _ = try await register(odometer: .km(5_000))
        let head = await store.headPosition
        let decrease = await commandError { () throws(CommandError) in try await record(.km(4_000)) }
        guard case .failedPrecondition = decrease?.refusal else {
            Issue.record("expected a failedPrecondition refusal, got \(String(describing: decrease))")
            return
        }
        #expect(await store.headPosition == head)
    }

    @Test("a command that changes nothing appends nothing and reports the current version")
    func noOpCommand() async throws {
        _ = try await register(odometer: .km(5_000))
        let outcome = try await record(.km(5_000))
        #expect(outcome == CommandOutcome(streamId: stream, streamVersion: 1, logPosition: 0, eventCount: 0))
        #expect(await store.headPosition == LogPosition(1))
    }

    @Test("50 concurrent odometer readings without expected version: each succeeds or is refused by the domain")
    func concurrentReadings() async throws {
        _ = try await register(odometer: .km(1_000))
        let results = await withTaskGroup(of: (Int64, Result<CommandOutcome, CommandError>).self) { group in
            for reading in Int64(1_001)...1_050 {
                group.addTask {
                    do throws(CommandError) {
                        return (reading, .success(try await record(.km(reading))))
                    } catch {
                        return (reading, .failure(error))
                    }
                }
            }
            var results: [(Int64, Result<CommandOutcome, CommandError>)] = []
            for await result in group { results.append(result) }
            return results
        }

        var successes: [(reading: Int64, version: UInt64)] = []
        for (reading, result) in results {
            switch result {
            case .success(let outcome):
                #expect(outcome.eventCount == 1)
                successes.append((reading, outcome.streamVersion))
            case .failure(let error):
                guard case .failedPrecondition = error.refusal else {
                    Issue.record("reading \(reading): expected success or a domain refusal, got \(error)")
                    continue
                }
            }
        }
        #expect(!successes.isEmpty)
        let finalVersion = await store.streamVersion(StreamID(stream))
        #expect(finalVersion == 1 + UInt64(successes.count))
        // Versions are distinct, and later versions carry higher readings.
        let byVersion = successes.sorted { $0.version < $1.version }
        #expect(byVersion.map(\.version) == Array(2...finalVersion))
        #expect(byVersion.map(\.reading) == byVersion.map(\.reading).sorted())

        // The stream folds to the highest accepted reading, on a cold executor and on this one.
        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let (coldVersion, coldState) = try await cold.load(stream)
        #expect(coldVersion == finalVersion)
        #expect(coldState?.lastReading?.distance == .km(byVersion.last!.reading))
        let (warmVersion, warmState) = try await vehicles.load(stream)
        #expect(warmVersion == coldVersion)
        #expect(warmState == coldState)
    }

    @Test("a second executor on the same store rebuilds the state by folding the stream")
    func coldLoadFoldsTheStream() async throws {
        _ = try await register(odometer: .km(1_000))
        _ = try await record(.km(1_100))
        _ = try await vehicles.execute(.transferOwnership(vin: Fixture.vin, newOwnerCustomerId: "c-2"), on: stream,
                                       caller: Fixture.admin, options: Fixture.options())
        _ = try await vehicles.execute(.correctOdometer(vin: Fixture.vin, reading: .mi(600), reason: "unit mix-up"), on: stream,
                                       caller: Fixture.admin, options: Fixture.options())
        let warm = try await vehicles.load(stream)

        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let rebuilt = try await cold.load(stream)
        #expect(rebuilt.0 == 4 && warm.0 == 4)
        #expect(rebuilt.1 == warm.1)
        #expect(rebuilt.1?.ownerCustomerId == "c-2")
        #expect(rebuilt.1?.lastReading?.distance == .mi(600))

        // The cold executor decides on the rebuilt state: a lower reading is refused.
        let refused = await commandError { () throws(CommandError) in try await record(.mi(500), on: cold) }
        guard case .failedPrecondition = refused?.refusal else {
            Issue.record("expected a failedPrecondition refusal, got \(String(describing: refused))")
            return
        }
    }

    @Test("loading a stream longer than one read batch folds every event")
    func loadAcrossBatches() async throws {
        _ = try await register(odometer: .km(0))
        for reading in Int64(1)...1_100 { _ = try await record(.km(reading)) }
        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let (version, state) = try await cold.load(stream)
        #expect(version == 1_101)
        #expect(state?.lastReading?.distance == .km(1_100))
    }

    @Test("a stored event the codec cannot read makes loading fail as unreadable")
    func unreadableStoredEvent() async throws {
        _ = try await register()
        _ = try await store.append(to: StreamID(stream), expectedVersion: .exact(1), events: [
            EventData(eventID: UUID(), eventType: "VehicleTeleported", schemaVersion: 1, metadata: EventMetadata(), payload: [1, 2, 3]),
        ])
        let cold = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        let error = await commandError { () throws(CommandError) in try await cold.load(stream) }
        #expect(error?.unreadableEventType == "VehicleTeleported")
    }
}
