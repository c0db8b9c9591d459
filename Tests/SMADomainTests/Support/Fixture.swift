@testable import SMADomain

/// Shared callers, times and pre-built aggregate states for the domain tests.
enum Fixture {
    static let dealershipId = "d1"
    static let otherDealershipId = "d2"
    /// 2025-06-15T00:00:00Z.
    static let now = Timestamp(millisecondsSinceEpoch: 1_749_945_600_000)
    static let vin = try! VIN("1HGCM82633A004352")

    static let advisor = Caller(subject: "alice", dealershipScope: .only([dealershipId]), roles: [.advisor])
    static let technician = Caller(subject: "tom", dealershipScope: .only([dealershipId]), roles: [.technician])
    static let manager = Caller(subject: "maria", dealershipScope: .only([dealershipId]), roles: [.manager])
    static let admin = Caller(subject: "root", dealershipScope: .all, roles: [.admin])
    static let outsider = Caller(subject: "eve", dealershipScope: .only([otherDealershipId]), roles: [.advisor, .manager])

    static func context(_ caller: Caller = advisor, at time: Timestamp = now) -> DecisionContext {
        DecisionContext(caller: caller, now: time)
    }

    static func days(_ count: Int64) -> Timestamp { now.adding(days: count) }

    static let usd = Currency.usd

    /// Dealership d1 (USD): technician t1, op codes OIL (0.5 h) and BRAKE (1.5 h), 120.00/h, number 1 allocated.
    static func dealership(id: String = dealershipId) -> DealershipState {
        DealershipState.replay([
            .registered(.init(dealershipId: id, name: "Main Street Motors", currency: .usd, registeredAt: now)),
            .technicianAdded(.init(dealershipId: id, technicianId: "t1", name: "Tom")),
            .opCodeDefined(.init(dealershipId: id, opCode: "OIL", description: "Oil and filter", standardHours: try! Quantity(thousandths: 500))),
            .opCodeDefined(.init(dealershipId: id, opCode: "BRAKE", description: "Front brake pads", standardHours: try! Quantity(thousandths: 1_500))),
            .laborRateSet(.init(dealershipId: id, ratePerHour: Money(minorUnits: 12_000, currency: .usd))),
            .repairOrderNumberAllocated(.init(dealershipId: id, number: 1, requestId: "req-1")),
        ])!
    }

    /// Vehicle ``vin`` of d1 owned by c1, last reading `odometer`.
    static func vehicle(odometer: Distance? = .km(10_000), dealershipId: String = dealershipId) -> VehicleState {
        VehicleState.replay([
            .registered(.init(vin: vin.value, dealershipId: dealershipId, make: "Honda", model: "Accord", year: 2003, ownerCustomerId: "c1", odometer: odometer, registeredAt: now)),
        ])!
    }
}
