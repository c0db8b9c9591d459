import Testing
@testable import SMADomain

@Suite("Repair order: lifecycle")
struct RepairOrderLifecycleTests {
    @Test("open → in progress → completed → closed")
    func happyPath() throws {
        var harness = RepairOrderHarness()
        try harness.completed()
        #expect(harness.state?.status == .completed)
        #expect(harness.state?.odometerOut == .km(10_050))
        #expect(try harness.send(.close).map(\.eventType) == ["RepairOrderClosed"])
        #expect(harness.state?.status == .closed)
    }

    @Test("completion carries the VIN, odometer out, completed op codes and total")
    func completionPayload() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        try harness.send(.addJob(jobId: "j2", opCode: "BRAKE", description: ""))
        try harness.send(.declineJob(jobId: "j2", reason: "next time"))
        try harness.send(.addLaborLine(lineId: "l1", jobId: "j1", description: "", hours: nil))
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        try harness.send(.completeJob(jobId: "j1"), as: Fixture.technician)
        let events = try harness.send(.complete(odometerOut: .km(10_010)))
        guard case .completed(let payload) = events.first else { Issue.record("no completion"); return }
        #expect(payload.vin == Fixture.vin.value)
        #expect(payload.completedOpCodes == ["OIL"])
        #expect(payload.total.minorUnits == 6_000)
        #expect(payload.odometerOut == .km(10_010))
    }

    @Test("an order cannot complete before work starts or while a job is unfinished")
    func completionNeedsFinishedJobs() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        #expect(refusal { try harness.send(.complete(odometerOut: .km(10_050))) }?.kind == .failedPrecondition)
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        #expect(refusal { try harness.send(.complete(odometerOut: .km(10_050))) }?.message.contains("complete or decline every job") == true)
    }

    @Test("odometer out must be at least odometer in and the vehicle's last reading")
    func odometerOut() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        try harness.send(.completeJob(jobId: "j1"), as: Fixture.technician)
        #expect(refusal { try harness.send(.complete(odometerOut: .km(9_999))) }?.kind == .failedPrecondition)
        #expect(refusal { try harness.send(.complete(odometerOut: .mi(6_000))) }?.kind == .failedPrecondition)
        harness.references.vehicle = Fixture.vehicle(odometer: .km(10_100))
        #expect(refusal { try harness.send(.complete(odometerOut: .km(10_050))) }?.message.contains("last reading") == true)
        #expect(try harness.send(.complete(odometerOut: .mi(6_300))).count == 1)
    }

    @Test("completed and closed orders are immutable")
    func immutableAfterCompletion() throws {
        var harness = RepairOrderHarness()
        try harness.completed()
        #expect(refusal { try harness.send(.addJob(jobId: "j2", opCode: "OIL", description: "")) }?.message.contains("immutable") == true)
        #expect(refusal { try harness.send(.removeLine(lineId: "l1")) }?.kind == .failedPrecondition)
        #expect(refusal { try harness.send(.complete(odometerOut: .km(20_000))) }?.kind == .failedPrecondition)
        try harness.send(.close)
        #expect(refusal { try harness.send(.addJob(jobId: "j2", opCode: "OIL", description: "")) }?.kind == .failedPrecondition)
        #expect(refusal { try harness.send(.close) }?.kind == .failedPrecondition)
    }

    @Test("cancel only before completion, with a reason")
    func cancel() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        #expect(refusal { try harness.send(.cancel(reason: "")) }?.field == "reason")
        #expect(try harness.send(.cancel(reason: "customer left")).map(\.eventType) == ["RepairOrderCancelled"])
        #expect(refusal { try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: "")) }?.message.contains("cancelled") == true)
        var completed = RepairOrderHarness()
        try completed.completed()
        #expect(refusal { try completed.send(.cancel(reason: "too late")) }?.kind == .failedPrecondition)
    }

    @Test("cancel is allowed while in progress")
    func cancelInProgress() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        #expect(try harness.send(.cancel(reason: "parts unavailable")).count == 1)
        #expect(harness.state?.status == .cancelled)
    }

    @Test("reopen only from completed and only by a privileged role")
    func reopen() throws {
        var harness = RepairOrderHarness()
        try harness.completed()
        #expect(refusal { try harness.send(.reopen(reason: "comeback"), as: Fixture.advisor) }?.kind == .permissionDenied)
        #expect(refusal { try harness.send(.reopen(reason: ""), as: Fixture.manager) }?.field == "reason")
        #expect(try harness.send(.reopen(reason: "comeback"), as: Fixture.manager).map(\.eventType) == ["RepairOrderReopened"])
        #expect(harness.state?.status == .inProgress)
        try harness.send(.addJob(jobId: "j2", opCode: "BRAKE", description: ""))

        var open = RepairOrderHarness()
        try open.open()
        #expect(refusal { try open.send(.reopen(reason: "x"), as: Fixture.manager) }?.kind == .failedPrecondition)
        var closed = RepairOrderHarness()
        try closed.completed()
        try closed.send(.close)
        #expect(refusal { try closed.send(.reopen(reason: "x"), as: Fixture.admin) }?.kind == .failedPrecondition)
    }
}
