import Foundation
import SMAApplication
import SMADomain
import SMAEventStore

/// Drives the repair-order story through command executors on one store, as the gRPC services
/// do: a dealership with a technician and an op code, a vehicle with a plan item for that op
/// code, and repair orders opened (number allocated on the dealership stream first) and completed.
struct RepairOrderStory {
    static let opCode = "OIL-CHG"
    static let itemId = "oil"

    let store: InMemoryEventStore
    let dealerships: CommandExecutor<DealershipAggregate>
    let vehicles: CommandExecutor<VehicleAggregate>
    let plans: CommandExecutor<MaintenancePlanAggregate>
    let orders: CommandExecutor<RepairOrderAggregate>
    let caller = Fixture.admin
    let dealershipId = Fixture.dealershipId
    let vin = Fixture.vin

    init(store: InMemoryEventStore) {
        self.store = store
        dealerships = CommandExecutor(store: store, clock: Fixture.clock)
        vehicles = CommandExecutor(store: store, clock: Fixture.clock)
        plans = CommandExecutor(store: store, clock: Fixture.clock)
        orders = CommandExecutor(store: store, clock: Fixture.clock)
    }

    var vehicleStream: String { StreamName.vehicle(vin) }
    var planStream: String { StreamName.maintenancePlan(vin) }

    /// The dealership (technician t-7, op code OIL-CHG), the vehicle at `odometer`, and its plan item.
    func setUp(odometer: Distance = .km(12_000)) async throws {
        for command in [
            DealershipCommand.register(dealershipId: dealershipId, name: "Main Street Motors", currency: .usd),
            .addTechnician(dealershipId: dealershipId, technicianId: "t-7", name: "Tess"),
            .defineOpCode(dealershipId: dealershipId, opCode: Self.opCode, description: "Oil and filter", standardHours: try Quantity(thousandths: 500)),
        ] {
            _ = try await dealerships.execute(command, on: command.streamName, caller: caller, options: Fixture.options())
        }
        let register = VehicleCommand.register(vin: vin, dealershipId: dealershipId, make: "Honda", model: "Accord", year: 2003,
                                               ownerCustomerId: "c-1", odometer: odometer)
        _ = try await vehicles.execute(register, on: register.streamName, caller: caller, options: Fixture.options())
        let define = MaintenancePlanCommand.defineItem(
            vin: vin, dealershipId: dealershipId, itemId: Self.itemId, name: "Engine oil and filter", opCode: Self.opCode,
            interval: try ServiceInterval(distance: .km(10_000), days: 365), schedule: .rolling, dueSoon: .disabled,
            baselineOdometer: .km(3_000))
        _ = try await plans.execute(define, on: define.streamName, caller: caller, options: Fixture.options())
    }

    /// Opens an order at `odometerIn`, runs one OIL-CHG job to completion and completes the
    /// order at `odometerOut`; returns the order's number.
    @discardableResult
    func openAndComplete(odometerIn: Distance, odometerOut: Distance) async throws -> Int64 {
        let openId = UUID().uuidString
        let allocate = DealershipCommand.allocateRepairOrderNumber(dealershipId: dealershipId, requestId: openId)
        _ = try await dealerships.execute(allocate, on: allocate.streamName, caller: caller,
                                          options: Fixture.options(openId + "/allocate-number"))
        let dealership = try await dealerships.load(allocate.streamName).1
        guard let number = dealership?.allocatedNumbers[openId] else { throw StoryError.noNumberAllocated }
        let vehicle = try await vehicles.load(vehicleStream).1
        let references = RepairOrderReferences(dealership: dealership, vehicle: vehicle)
        let steps: [RepairOrderAction] = [
            .open(vin: vin, customerId: "c-1", advisorId: "adv-1", odometerIn: odometerIn, concerns: ["oil change due"]),
            .addJob(jobId: "J1", opCode: Self.opCode, description: ""),
            .assignTechnician(jobId: "J1", technicianId: "t-7"),
            .approveJob(jobId: "J1"),
            .startWork(jobId: "J1"),
            .completeJob(jobId: "J1"),
            .complete(odometerOut: odometerOut),
        ]
        for (index, action) in steps.enumerated() {
            let command = RepairOrderCommand(dealershipId: dealershipId, number: number, action: action)
            let outcome = try await orders.execute(RepairOrderRequest(command, references: references), on: command.streamName,
                                                   caller: caller, options: Fixture.options(index == 0 ? openId : UUID().uuidString))
            guard outcome.eventCount == 1 else { throw StoryError.stepChangedNothing(action) }
        }
        return number
    }

    /// Every event of the log, in order.
    func allEvents() async throws -> [RecordedEvent] {
        try await store.readAll(from: .start, filter: .all, maxCount: 100_000).events
    }

    enum StoryError: Error {
        case noNumberAllocated
        case stepChangedNothing(RepairOrderAction)
    }
}
