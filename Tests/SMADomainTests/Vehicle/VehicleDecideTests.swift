import Testing
@testable import SMADomain

@Suite("Vehicle decisions")
struct VehicleDecideTests {
    let vin = Fixture.vin

    func decide(_ command: VehicleCommand, _ state: VehicleState? = Fixture.vehicle(), as caller: Caller = Fixture.advisor) throws -> [VehicleEvent] {
        try VehicleState.decide(command, state, Fixture.context(caller))
    }

    func register(year: Int64 = 2003, dealershipId: String = Fixture.dealershipId) -> VehicleCommand {
        .register(vin: vin, dealershipId: dealershipId, make: "Honda", model: "Accord", year: year, ownerCustomerId: "c1", odometer: .mi(100))
    }

    @Test("registers a new VIN with its first reading")
    func registers() throws {
        let events = try decide(register(), nil)
        #expect(events.map(\.eventType) == ["VehicleRegistered"])
        #expect(VehicleState.replay(events)?.lastReading?.distance == .mi(100))
    }

    @Test("a VIN is registered once: a second registration is ALREADY_EXISTS")
    func registeredOnce() {
        #expect(refusal { try decide(register()) } == .alreadyExists(entity: "vehicle", id: vin.value))
    }

    @Test("registration refuses implausible model years", arguments: [Int64(1800), 2030])
    func refusesYear(_ year: Int64) {
        #expect(refusal { try decide(register(year: year), nil) }?.field == "year")
    }

    @Test("registration refuses a dealership outside the caller's scope")
    func registerCrossDealership() {
        #expect(refusal { try decide(register(dealershipId: Fixture.otherDealershipId), nil) }?.kind == .permissionDenied)
    }

    @Test("records a higher reading and ignores an equal one (replays are harmless)")
    func recordsReading() throws {
        #expect(try decide(.recordOdometer(vin: vin, reading: .km(10_500))).map(\.eventType) == ["OdometerRecorded"])
        #expect(try decide(.recordOdometer(vin: vin, reading: .km(10_000))).isEmpty)
    }

    @Test("refuses a decreasing reading, compared across units: 100 mi then 150 km")
    func refusesDecreaseAcrossUnits() {
        let state = Fixture.vehicle(odometer: .mi(100))
        let error = refusal { try decide(.recordOdometer(vin: vin, reading: .km(150)), state) }
        #expect(error?.kind == .failedPrecondition)
        #expect(error?.message.contains("CorrectOdometer") == true)
        #expect((try? decide(.recordOdometer(vin: vin, reading: .km(161)), state))?.count == 1)
    }

    @Test("a correction may lower the reading and records reason and actor")
    func correction() throws {
        let events = try decide(.correctOdometer(vin: vin, reading: .km(1_000), reason: "typo at intake"), as: Fixture.manager)
        guard case .odometerCorrected(let payload) = events.first else { Issue.record("no correction"); return }
        #expect(payload.previous == .km(10_000))
        #expect(payload.corrected == .km(1_000))
        #expect(payload.reason == "typo at intake")
        #expect(payload.actor == "maria")
        #expect(VehicleState.applying(events, to: Fixture.vehicle())?.lastReading?.distance == .km(1_000))
    }

    @Test("a correction without a reason or without an actor is refused")
    func correctionNeedsReasonAndActor() {
        #expect(refusal { try decide(.correctOdometer(vin: vin, reading: .km(1_000), reason: "  ")) }?.field == "reason")
        let anonymous = Caller(subject: "", dealershipScope: .only([Fixture.dealershipId]), roles: [.manager])
        #expect(refusal { try decide(.correctOdometer(vin: vin, reading: .km(1_000), reason: "typo"), as: anonymous) }?.field == "actor")
    }

    @Test("transfers ownership; transferring to the current owner changes nothing")
    func transfers() throws {
        #expect(try decide(.transferOwnership(vin: vin, newOwnerCustomerId: "c2")).map(\.eventType) == ["OwnershipTransferred"])
        #expect(try decide(.transferOwnership(vin: vin, newOwnerCustomerId: "c1")).isEmpty)
    }

    @Test("a retired vehicle accepts no further changes")
    func retire() throws {
        let events = try decide(.retire(vin: vin, reason: "scrapped"))
        #expect(events.map(\.eventType) == ["VehicleRetired"])
        let retired = VehicleState.applying(events, to: Fixture.vehicle())
        #expect(refusal { try decide(.recordOdometer(vin: vin, reading: .km(20_000)), retired) }?.kind == .failedPrecondition)
    }

    @Test("commands on an unknown vehicle are NOT_FOUND and other dealerships are refused")
    func notFoundAndCrossDealership() {
        #expect(refusal { try decide(.recordOdometer(vin: vin, reading: .km(1)), nil) }?.kind == .notFound)
        #expect(refusal { try decide(.recordOdometer(vin: vin, reading: .km(20_000)), as: Fixture.outsider) }?.kind == .permissionDenied)
    }
}
