import Testing
@testable import SMADomain

@Suite("Dealership decisions")
struct DealershipDecideTests {
    let id = Fixture.dealershipId

    func decide(_ command: DealershipCommand, _ state: DealershipState? = Fixture.dealership(), as caller: Caller = Fixture.manager) throws -> [DealershipEvent] {
        try DealershipState.decide(command, state, Fixture.context(caller))
    }

    @Test("an admin registers a dealership")
    func registers() throws {
        let events = try decide(.register(dealershipId: "d9", name: "North", currency: .eur), nil, as: Fixture.admin)
        #expect(events.map(\.eventType) == ["DealershipRegistered"])
        #expect(DealershipState.replay(events)?.currency == .eur)
    }

    @Test("registering refuses a non-admin, a duplicate and a blank name")
    func registerRefusals() {
        #expect(refusal { try decide(.register(dealershipId: id, name: "X", currency: .usd), nil, as: Fixture.manager) }?.kind == .permissionDenied)
        #expect(refusal { try decide(.register(dealershipId: id, name: "X", currency: .usd), as: Fixture.admin) }?.kind == .alreadyExists)
        #expect(refusal { try decide(.register(dealershipId: "d9", name: " ", currency: .usd), nil, as: Fixture.admin) }?.field == "name")
        #expect(refusal { try decide(.register(dealershipId: "bad id", name: "X", currency: .usd), nil, as: Fixture.admin) }?.field == "dealership_id")
    }

    @Test("commands on an unknown dealership are NOT_FOUND")
    func unknownDealership() {
        #expect(refusal { try decide(.addTechnician(dealershipId: id, technicianId: "t2", name: "Ann"), nil) }?.kind == .notFound)
    }

    @Test("a manager adds and removes technicians; duplicates and unknowns are refused")
    func technicians() throws {
        let added = try decide(.addTechnician(dealershipId: id, technicianId: "t2", name: "Ann"))
        #expect(added.map(\.eventType) == ["TechnicianAdded"])
        #expect(try decide(.removeTechnician(dealershipId: id, technicianId: "t1")).map(\.eventType) == ["TechnicianRemoved"])
        #expect(refusal { try decide(.addTechnician(dealershipId: id, technicianId: "t1", name: "Tom")) }?.kind == .alreadyExists)
        #expect(refusal { try decide(.removeTechnician(dealershipId: id, technicianId: "zz")) }?.kind == .notFound)
        #expect(refusal { try decide(.addTechnician(dealershipId: id, technicianId: "t2", name: "Ann"), as: Fixture.advisor) }?.kind == .permissionDenied)
    }

    @Test("op codes are defined with standard hours; an identical redefinition is a no-op")
    func opCodes() throws {
        let hours = try Quantity(thousandths: 2_000)
        #expect(try decide(.defineOpCode(dealershipId: id, opCode: "TIRES", description: "Rotate", standardHours: hours)).map(\.eventType) == ["OpCodeDefined"])
        #expect(try decide(.defineOpCode(dealershipId: id, opCode: "OIL", description: "Oil and filter", standardHours: Quantity(thousandths: 500))).isEmpty)
        #expect(refusal { try decide(.defineOpCode(dealershipId: id, opCode: "", description: "x", standardHours: hours)) }?.field == "op_code")
    }

    @Test("the labor rate must be positive and in the dealership's currency")
    func laborRate() throws {
        #expect(try decide(.setLaborRate(dealershipId: id, ratePerHour: Money(minorUnits: 15_000, currency: .usd))).map(\.eventType) == ["LaborRateSet"])
        #expect(refusal { try decide(.setLaborRate(dealershipId: id, ratePerHour: Money(minorUnits: 15_000, currency: .eur))) }?.field == "rate_per_hour.currency")
        #expect(refusal { try decide(.setLaborRate(dealershipId: id, ratePerHour: Money(minorUnits: 0, currency: .usd))) }?.field == "rate_per_hour")
    }

    @Test("repair-order numbers are last + 1, never reused, and idempotent per request")
    func allocatesNumbers() throws {
        var state = Fixture.dealership()
        let second = try decide(.allocateRepairOrderNumber(dealershipId: id, requestId: "req-2"), state, as: Fixture.advisor)
        guard case .repairOrderNumberAllocated(let payload) = second.first else { Issue.record("no allocation"); return }
        #expect(payload.number == 2)
        state = DealershipState.applying(second, to: state)!
        #expect(try decide(.allocateRepairOrderNumber(dealershipId: id, requestId: "req-2"), state, as: Fixture.advisor).isEmpty)
        #expect(state.allocatedNumbers["req-2"] == 2)
        let third = try decide(.allocateRepairOrderNumber(dealershipId: id, requestId: "req-3"), state, as: Fixture.advisor)
        #expect(DealershipState.applying(third, to: state)?.lastRepairOrderNumber == 3)
    }

    @Test("a caller scoped to another dealership is refused")
    func crossDealership() {
        #expect(refusal { try decide(.addTechnician(dealershipId: id, technicianId: "t2", name: "Ann"), as: Fixture.outsider) }?.kind == .permissionDenied)
        #expect(refusal { try decide(.allocateRepairOrderNumber(dealershipId: id, requestId: "r"), as: Fixture.outsider) }?.kind == .permissionDenied)
    }
}
