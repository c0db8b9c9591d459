/// The current state of one dealership, folded from its stream.
public struct DealershipState: AggregateState {
    public typealias Event = DealershipEvent

    /// The dealership id.
    public var dealershipId: String
    /// Display name.
    public var name: String
    /// The currency every amount at this dealership uses.
    public var currency: Currency
    /// Technicians on the roster, by id → name.
    public var technicians: [String: String] = [:]
    /// Defined operation codes, by code.
    public var opCodes: [String: OpCodeDefinition] = [:]
    /// The hourly labour rate, once set.
    public var laborRate: Money?
    /// The last repair-order number allocated (0 before the first).
    public var lastRepairOrderNumber: Int64 = 0
    /// Allocated numbers by request id, so a retried allocation returns the same number.
    public var allocatedNumbers: [String: Int64] = [:]

    /// Creates the state of a freshly registered dealership.
    public init(dealershipId: String, name: String, currency: Currency) {
        self.dealershipId = dealershipId
        self.name = name
        self.currency = currency
    }

    /// Whether `technicianId` is currently on the roster.
    public func hasTechnician(_ technicianId: String) -> Bool { technicians[technicianId] != nil }

    /// Whether `number` was allocated by this dealership.
    public func hasAllocated(_ number: Int64) -> Bool { number >= 1 && number <= lastRepairOrderNumber }

    /// The state after `event`.
    public static func evolve(_ state: DealershipState?, _ event: DealershipEvent) -> DealershipState? {
        if case .registered(let e) = event {
            return DealershipState(dealershipId: e.dealershipId, name: e.name, currency: e.currency)
        }
        guard var state else { return nil }
        switch event {
        case .registered:
            break
        case .technicianAdded(let e):
            state.technicians[e.technicianId] = e.name
        case .technicianRemoved(let e):
            state.technicians[e.technicianId] = nil
        case .opCodeDefined(let e):
            state.opCodes[e.opCode] = OpCodeDefinition(code: e.opCode, description: e.description, standardHours: e.standardHours)
        case .laborRateSet(let e):
            state.laborRate = e.ratePerHour
        case .repairOrderNumberAllocated(let e):
            state.lastRepairOrderNumber = max(state.lastRepairOrderNumber, e.number)
            state.allocatedNumbers[e.requestId] = e.number
        }
        return state
    }
}
