@testable import SMADomain

/// Drives one repair order through decide + evolve, as the wire layer would.
struct RepairOrderHarness {
    var state: RepairOrderState?
    var references = RepairOrderReferences(dealership: Fixture.dealership(), vehicle: Fixture.vehicle())
    var number: Int64 = 1
    var time = Fixture.now

    /// Decides `action` as `caller` and applies the events; returns them.
    @discardableResult
    mutating func send(_ action: RepairOrderAction, as caller: Caller = Fixture.advisor) throws -> [RepairOrderEvent] {
        let command = RepairOrderCommand(dealershipId: Fixture.dealershipId, number: number, action: action)
        let events = try RepairOrderState.decide(command, state, Fixture.context(caller, at: time), references: references)
        state = RepairOrderState.applying(events, to: state)
        return events
    }

    /// Opens the order at 10 000 km.
    mutating func open() throws {
        try send(.open(vin: Fixture.vin, customerId: "c1", advisorId: "alice", odometerIn: .km(10_000), concerns: ["Squeaky brakes"]))
    }

    /// Opens, adds job `j1` (OIL), assigns t1 and approves it.
    mutating func openWithApprovedJob() throws {
        try open()
        try send(.addJob(jobId: "j1", opCode: "OIL", description: ""))
        try send(.assignTechnician(jobId: "j1", technicianId: "t1"))
        try send(.approveJob(jobId: "j1"))
    }

    /// Runs job `j1` to completion and completes the order at 10 050 km.
    mutating func completed() throws {
        try openWithApprovedJob()
        try send(.startWork(jobId: "j1"), as: Fixture.technician)
        try send(.completeJob(jobId: "j1"), as: Fixture.technician)
        try send(.complete(odometerOut: .km(10_050)))
    }
}
