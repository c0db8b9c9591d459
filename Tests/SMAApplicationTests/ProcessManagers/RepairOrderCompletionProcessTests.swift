import Foundation
import SMAApplication
import SMADomain
import SMAEventStore
import Testing

@Suite("RepairOrderCompletionProcess: completed orders update the vehicle and its plan, exactly once", .timeLimit(.minutes(1)))
struct RepairOrderCompletionProcessTests {
    static let name = "repair-order-completion"

    /// Runs a process instance until `done` holds (bounded), then cancels it; returns whether `done` held.
    private func run(_ process: RepairOrderCompletionProcess, until done: () async throws -> Bool) async throws -> Bool {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await process.run() }
            let held = try await eventually(done)
            group.cancelAll()
            try await group.waitForAll()
            return held
        }
    }

    private func process(_ story: RepairOrderStory, checkpoint: ProcessCheckpoint, reports: ReportLog, coldExecutors: Bool = false,
                         retryDelay: (first: Duration, max: Duration) = (.seconds(1), .seconds(60))) -> RepairOrderCompletionProcess {
        let vehicles = coldExecutors ? CommandExecutor<VehicleAggregate>(store: story.store, clock: Fixture.clock) : story.vehicles
        let plans = coldExecutors ? CommandExecutor<MaintenancePlanAggregate>(store: story.store, clock: Fixture.clock) : story.plans
        return RepairOrderCompletionProcess(store: story.store, vehicles: vehicles, plans: plans, checkpoint: checkpoint,
                                            retryDelay: retryDelay, report: reports.record)
    }

    /// The events the process appended: those caused by a RepairOrderCompleted event.
    private func caused(_ events: [RecordedEvent]) -> [RecordedEvent] {
        let completions = Set(events.filter { $0.eventType == "RepairOrderCompleted" }.map { $0.eventID.uuidString.lowercased() })
        return events.filter { $0.metadata.causationID.map(completions.contains) ?? false }
    }

    @Test("a completed order records the odometer and services the plan item; restarts and replays append nothing twice")
    func completionStory() async throws {
        let story = RepairOrderStory(store: InMemoryEventStore())
        try await story.setUp(odometer: .km(12_000))
        let firstNumber = try await story.openAndComplete(odometerIn: .km(12_050), odometerOut: .km(12_060))
        let firstCompleted = try #require(try await story.allEvents().last)
        #expect(firstCompleted.eventType == "RepairOrderCompleted")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: Self.name)
        let reports = ReportLog()

        // 1. The process follows the log: the vehicle's reading and the plan item's service appear.
        let first = process(story, checkpoint: checkpoint, reports: reports)
        let handled = try await run(first) {
            let events = try await story.allEvents()
            let types = Set(caused(events).map { "\($0.streamID.rawValue) \($0.eventType)" })
            let saved = try checkpoint.load()
            return types == ["\(story.vehicleStream) OdometerRecorded", "\(story.planStream) PlanItemServiced"]
                && saved == firstCompleted.position.value
        }
        #expect(handled)
        let afterFirst = try await story.allEvents()
        let firstEffects = caused(afterFirst)
        #expect(firstEffects.count == 2)
        for event in firstEffects {
            #expect(event.metadata.causationID == firstCompleted.eventID.uuidString.lowercased())
            #expect(event.metadata.subject == "process:\(Self.name)")
        }
        let vehicle = try await CommandExecutor<VehicleAggregate>(store: story.store, clock: Fixture.clock).load(story.vehicleStream).1
        #expect(vehicle?.lastReading?.distance == .km(12_060))
        let plan = try await CommandExecutor<MaintenancePlanAggregate>(store: story.store, clock: Fixture.clock).load(story.planStream).1
        let service = try #require(plan?.items[RepairOrderStory.itemId]?.lastService)
        #expect(service == ServiceRecord(odometer: .km(12_060), at: Fixture.now,
                                         sourceId: StreamName.repairOrder(dealershipId: Fixture.dealershipId, number: firstNumber)))

        // 2. A new instance on the same checkpoint resumes after it: it handles only a new order.
        try await story.openAndComplete(odometerIn: .km(12_070), odometerOut: .km(12_100))
        let secondCompleted = try #require(try await story.allEvents().last)
        let resumed = process(story, checkpoint: checkpoint, reports: reports, coldExecutors: true)
        let resumedHandled = try await run(resumed) {
            let saved = try checkpoint.load()
            let effects = caused(try await story.allEvents())
            return saved == secondCompleted.position.value && effects.count == 4
        }
        #expect(resumedHandled)
        let afterResume = try await story.allEvents()
        let head = afterResume.count

        // 3. A new instance with a fresh checkpoint replays every completion: idempotent command
        //    ids make the replay append nothing.
        let freshDirectory = try TemporaryDirectory()
        defer { freshDirectory.remove() }
        let freshCheckpoint = ProcessCheckpoint(directory: freshDirectory.path, name: Self.name)
        let replay = process(story, checkpoint: freshCheckpoint, reports: reports, coldExecutors: true)
        let replayed = try await run(replay) { try freshCheckpoint.load() == secondCompleted.position.value }
        #expect(replayed)

        let final = try await story.allEvents()
        #expect(final.count == head)
        #expect(await story.store.headPosition == LogPosition(UInt64(head)))
        let effects = caused(final).map { "\($0.streamID.rawValue) \($0.eventType)" }
        #expect(effects.sorted() == [
            "\(story.planStream) PlanItemServiced", "\(story.planStream) PlanItemServiced",
            "\(story.vehicleStream) OdometerRecorded", "\(story.vehicleStream) OdometerRecorded",
        ])
        #expect(reports.all.map(\.0) == [])
    }

    @Test("a refused command (a later odometer reading exists) is reported and the process moves on")
    func refusalIsReportedAndSkipped() async throws {
        let story = RepairOrderStory(store: InMemoryEventStore())
        try await story.setUp(odometer: .km(12_000))
        try await story.openAndComplete(odometerIn: .km(12_050), odometerOut: .km(12_060))
        let completed = try #require(try await story.allEvents().last)
        // Someone records a later reading before the process runs.
        let record = VehicleCommand.recordOdometer(vin: story.vin, reading: .km(13_000))
        _ = try await story.vehicles.execute(record, on: record.streamName, caller: story.caller, options: Fixture.options())

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: Self.name)
        let reports = ReportLog()
        let handled = try await run(process(story, checkpoint: checkpoint, reports: reports)) {
            try checkpoint.load() == completed.position.value
        }
        #expect(handled)
        #expect(reports.all.map(\.0) == ["process_command_refused"])
        #expect(reports.all.first?.1["command_id"] == "\(completed.eventID.uuidString.lowercased())/odometer")
        // The plan item is serviced regardless.
        #expect(caused(try await story.allEvents()).map(\.eventType) == ["PlanItemServiced"])
    }

    @Test("an unreadable checkpoint is reported as a failure; retries follow a doubling pause, capped (a dead store is not reported every second)")
    func corruptCheckpoint() async throws {
        let story = RepairOrderStory(store: InMemoryEventStore())
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: Self.name)
        try "not a position".write(toFile: checkpoint.path, atomically: true, encoding: .utf8)
        let reports = ReportLog()
        let process = process(story, checkpoint: checkpoint, reports: reports, retryDelay: (.milliseconds(10), .milliseconds(40)))
        let failed = try await run(process) { reports.all.count >= 5 }
        #expect(failed)
        #expect(reports.all.allSatisfy { $0.0 == "process_failed" })
        #expect(reports.all.prefix(5).map { $0.1["retry_in_ms"] } == ["10", "20", "40", "40", "40"])
    }
}
