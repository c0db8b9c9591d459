import Testing
@testable import SMADomain

@Suite("Maintenance plan decisions")
struct MaintenancePlanDecideTests {
    let vin = Fixture.vin

    func define(_ itemId: String = "oil", opCode: String = "OIL", dealershipId: String = Fixture.dealershipId) throws -> MaintenancePlanCommand {
        .defineItem(vin: vin, dealershipId: dealershipId, itemId: itemId, name: "Oil", opCode: opCode, interval: try ServiceInterval(distance: .km(10_000), days: 365), schedule: .rolling, dueSoon: .disabled, baselineOdometer: .km(10_000))
    }

    func decide(_ command: MaintenancePlanCommand, _ state: MaintenancePlanState?, as caller: Caller = Fixture.advisor, at time: Timestamp = Fixture.now) throws -> [MaintenancePlanEvent] {
        try MaintenancePlanState.decide(command, state, Fixture.context(caller, at: time))
    }

    func plan() throws -> MaintenancePlanState {
        MaintenancePlanState.replay(try decide(define(), nil))!
    }

    @Test("the first item creates the plan with its baseline at the decision time")
    func definesItem() throws {
        let plan = try plan()
        #expect(plan.dealershipId == Fixture.dealershipId)
        #expect(plan.items["oil"]?.baseline == OdometerReading(distance: .km(10_000), recordedAt: Fixture.now))
        #expect(try decide(define("brakes", opCode: "BRAKE"), plan).map(\.eventType) == ["PlanItemDefined"])
    }

    @Test("refuses a duplicate item, another dealership's plan and an outsider")
    func defineRefusals() throws {
        let plan = try plan()
        #expect(refusal { try decide(define(), plan) }?.kind == .alreadyExists)
        #expect(refusal { try decide(define("x", dealershipId: Fixture.otherDealershipId), plan, as: Fixture.admin) }?.kind == .permissionDenied)
        #expect(refusal { try decide(define("x"), plan, as: Fixture.outsider) }?.kind == .permissionDenied)
        #expect(refusal { try decide(define("bad id"), plan) }?.field == "item_id")
    }

    @Test("marking serviced records odometer and time and clears a deferral")
    func marksServiced() throws {
        var plan = try plan()
        plan = MaintenancePlanState.applying(try decide(.deferItem(vin: vin, itemId: "oil", untilOdometer: .km(30_000), untilTime: nil, reason: "budget"), plan), to: plan)!
        let events = try decide(.markServiced(vin: vin, itemId: "oil", odometer: .km(19_000), servicedAt: nil, sourceId: "ro-d1-1"), plan, at: Fixture.days(3))
        plan = MaintenancePlanState.applying(events, to: plan)!
        #expect(plan.items["oil"]?.lastService == ServiceRecord(odometer: .km(19_000), at: Fixture.days(3), sourceId: "ro-d1-1"))
        #expect(plan.items["oil"]?.deferral == nil)
    }

    @Test("the same service from the same source is a no-op, so replays are harmless")
    func servicedIdempotent() throws {
        var plan = try plan()
        let command = MaintenancePlanCommand.markServiced(vin: vin, itemId: "oil", odometer: .km(19_000), servicedAt: Fixture.now, sourceId: "ro-d1-1")
        plan = MaintenancePlanState.applying(try decide(command, plan), to: plan)!
        #expect(try decide(command, plan).isEmpty)
    }

    @Test("refuses a service below the last one, in the future, or for an unknown item")
    func servicedRefusals() throws {
        var plan = try plan()
        plan = MaintenancePlanState.applying(try decide(.markServiced(vin: vin, itemId: "oil", odometer: .km(19_000), servicedAt: nil, sourceId: "a"), plan), to: plan)!
        #expect(refusal { try decide(.markServiced(vin: vin, itemId: "oil", odometer: .km(18_000), servicedAt: nil, sourceId: "b"), plan) }?.kind == .failedPrecondition)
        #expect(refusal { try decide(.markServiced(vin: vin, itemId: "oil", odometer: .km(20_000), servicedAt: Fixture.days(1), sourceId: "b"), plan) }?.field == "serviced_at")
        #expect(refusal { try decide(.markServiced(vin: vin, itemId: "nope", odometer: .km(20_000), servicedAt: nil, sourceId: "b"), plan) }?.kind == .notFound)
        #expect(refusal { try decide(.markServiced(vin: vin, itemId: "oil", odometer: .km(20_000), servicedAt: nil, sourceId: "b"), nil) }?.kind == .notFound)
    }

    @Test("a deferral needs a future time or an odometer, and a reason")
    func deferRefusals() throws {
        let plan = try plan()
        #expect(refusal { try decide(.deferItem(vin: vin, itemId: "oil", untilOdometer: nil, untilTime: nil, reason: "x"), plan) }?.field == "until")
        #expect(refusal { try decide(.deferItem(vin: vin, itemId: "oil", untilOdometer: nil, untilTime: Fixture.now, reason: "x"), plan) }?.field == "until_time")
        #expect(refusal { try decide(.deferItem(vin: vin, itemId: "oil", untilOdometer: .km(1), untilTime: nil, reason: ""), plan) }?.field == "reason")
        #expect(try decide(.deferItem(vin: vin, itemId: "oil", untilOdometer: nil, untilTime: Fixture.days(30), reason: "x"), plan).map(\.eventType) == ["PlanItemDeferred"])
    }

    @Test("a removed item is gone")
    func removes() throws {
        var plan = try plan()
        let events = try decide(.removeItem(vin: vin, itemId: "oil", reason: "not applicable"), plan)
        #expect(events.map(\.eventType) == ["PlanItemRemoved"])
        plan = MaintenancePlanState.applying(events, to: plan)!
        #expect(refusal { try decide(.removeItem(vin: vin, itemId: "oil", reason: "again"), plan) }?.kind == .notFound)
    }
}
