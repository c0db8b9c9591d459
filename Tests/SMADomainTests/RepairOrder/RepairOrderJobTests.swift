import Testing
@testable import SMADomain

@Suite("Repair order: jobs and lines")
struct RepairOrderJobTests {
    @Test("adds a job for a defined op code; unknown op codes and duplicate job ids are refused")
    func addsJob() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        #expect(try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: "")).map(\.eventType) == ["JobAdded"])
        #expect(harness.state?.job("j1")?.description == "Oil and filter")
        #expect(refusal { try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: "")) }?.kind == .alreadyExists)
        #expect(refusal { try harness.send(.addJob(jobId: "j2", opCode: "NOPE", description: "")) } == .notFound(entity: "op code", id: "NOPE"))
    }

    @Test("labor lines bill the op code's standard hours at the dealership's rate")
    func laborLine() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        try harness.send(.addLaborLine(lineId: "l1", jobId: "j1", description: "labor", hours: nil))
        #expect(harness.state?.line("l1")?.amount == Money(minorUnits: 6_000, currency: .usd))
        try harness.send(.addLaborLine(lineId: "l2", jobId: "j1", description: "extra", hours: Quantity(thousandths: 250)))
        #expect(try harness.state?.total() == Money(minorUnits: 9_000, currency: .usd))
    }

    @Test("labor lines need a labor rate")
    func laborLineNeedsRate() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        harness.references.dealership?.laborRate = nil
        #expect(refusal { try harness.send(.addLaborLine(lineId: "l1", jobId: "j1", description: "", hours: nil)) }?.kind == .failedPrecondition)
    }

    @Test("parts lines multiply quantity by unit price in the order's currency")
    func partsLine() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        let price = Money(minorUnits: 899, currency: .usd)
        try harness.send(.addPartsLine(lineId: "p1", jobId: "j1", partNumber: "15400-PLM-A02", description: "Filter", quantity: Quantity(whole: 2), unitPrice: price))
        #expect(harness.state?.line("p1")?.amount.minorUnits == 1_798)
        let euros = Money(minorUnits: 899, currency: .eur)
        #expect(refusal { try harness.send(.addPartsLine(lineId: "p2", jobId: "j1", partNumber: "X", description: "", quantity: Quantity(whole: 1), unitPrice: euros)) }?.field == "unit_price.currency")
        #expect(refusal { try harness.send(.addPartsLine(lineId: "p1", jobId: "j1", partNumber: "X", description: "", quantity: Quantity(whole: 1), unitPrice: price)) }?.kind == .alreadyExists)
        #expect(refusal { try harness.send(.addPartsLine(lineId: "p3", jobId: "zz", partNumber: "X", description: "", quantity: Quantity(whole: 1), unitPrice: price)) }?.kind == .notFound)
    }

    @Test("a line that would overflow the order total is refused instead of trapping")
    func totalOverflow() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        let huge = Money(minorUnits: .max / 1_000_000, currency: .usd)
        try harness.send(.addPartsLine(lineId: "p1", jobId: "j1", partNumber: "X", description: "", quantity: Quantity(whole: 999_999), unitPrice: huge))
        #expect(refusal { try harness.send(.addPartsLine(lineId: "p2", jobId: "j1", partNumber: "X", description: "", quantity: Quantity(whole: 2), unitPrice: huge)) }?.kind == .invalidArgument)
    }

    @Test("removes a line; unknown lines are NOT_FOUND")
    func removesLine() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        try harness.send(.addLaborLine(lineId: "l1", jobId: "j1", description: "", hours: nil))
        #expect(try harness.send(.removeLine(lineId: "l1")).map(\.eventType) == ["LineRemoved"])
        #expect(harness.state?.lines.isEmpty == true)
        #expect(refusal { try harness.send(.removeLine(lineId: "l1")) }?.kind == .notFound)
    }

    @Test("only technicians of the order's dealership can be assigned")
    func assignsTechnician() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: ""))
        #expect(refusal { try harness.send(.assignTechnician(jobId: "j1", technicianId: "stranger")) }?.message.contains("does not belong") == true)
        #expect(try harness.send(.assignTechnician(jobId: "j1", technicianId: "t1")).map(\.eventType) == ["TechnicianAssigned"])
        #expect(try harness.send(.assignTechnician(jobId: "j1", technicianId: "t1")).isEmpty)
    }

    @Test("work starts only on an approved job with a technician")
    func startNeedsApproval() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: ""))
        try harness.send(.assignTechnician(jobId: "j1", technicianId: "t1"))
        #expect(refusal { try harness.send(.startWork(jobId: "j1"), as: Fixture.technician) }?.message.contains("approved") == true)
        try harness.send(.declineJob(jobId: "j1", reason: "too expensive"))
        #expect(refusal { try harness.send(.startWork(jobId: "j1"), as: Fixture.technician) }?.kind == .failedPrecondition)
        try harness.send(.approveJob(jobId: "j1"))
        #expect(try harness.send(.startWork(jobId: "j1"), as: Fixture.technician).map(\.eventType) == ["WorkStarted"])
        #expect(harness.state?.status == .inProgress)
    }

    @Test("work cannot start without a technician")
    func startNeedsTechnician() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: ""))
        try harness.send(.approveJob(jobId: "j1"))
        #expect(refusal { try harness.send(.startWork(jobId: "j1"), as: Fixture.technician) }?.message.contains("no technician") == true)
    }

    @Test("findings are recorded while in progress; a started job can no longer be declined")
    func findingsAndDecline() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        #expect(refusal { try harness.send(.recordFinding(jobId: "j1", finding: "leak"), as: Fixture.technician) }?.kind == .failedPrecondition)
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        try harness.send(.recordFinding(jobId: "j1", finding: "Oil pan gasket leaking"), as: Fixture.technician)
        #expect(harness.state?.job("j1")?.findings == ["Oil pan gasket leaking"])
        #expect(refusal { try harness.send(.declineJob(jobId: "j1", reason: "no")) }?.kind == .failedPrecondition)
        #expect(refusal { try harness.send(.approveJob(jobId: "j1")) }?.kind == .failedPrecondition)
    }

    @Test("only a job in progress can be completed; advisors cannot do workshop actions")
    func completesJob() throws {
        var harness = RepairOrderHarness()
        try harness.openWithApprovedJob()
        #expect(refusal { try harness.send(.completeJob(jobId: "j1"), as: Fixture.technician) }?.kind == .failedPrecondition)
        #expect(refusal { try harness.send(.startWork(jobId: "j1"), as: Fixture.advisor) }?.kind == .permissionDenied)
        try harness.send(.startWork(jobId: "j1"), as: Fixture.technician)
        #expect(try harness.send(.completeJob(jobId: "j1"), as: Fixture.technician).map(\.eventType) == ["JobCompleted"])
        #expect(refusal { try harness.send(.addLaborLine(lineId: "l9", jobId: "j1", description: "", hours: nil)) }?.kind == .failedPrecondition)
    }

    @Test("a declining customer must give a reason")
    func declineNeedsReason() throws {
        var harness = RepairOrderHarness()
        try harness.open()
        try harness.send(.addJob(jobId: "j1", opCode: "OIL", description: ""))
        #expect(refusal { try harness.send(.declineJob(jobId: "j1", reason: "")) }?.field == "reason")
    }
}
