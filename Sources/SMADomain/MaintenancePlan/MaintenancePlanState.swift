/// The current state of one vehicle's maintenance plan, folded from `plan-<VIN>`.
public struct MaintenancePlanState: AggregateState {
    public typealias Event = MaintenancePlanEvent

    /// The vehicle.
    public var vin: String
    /// The dealership that owns the plan.
    public var dealershipId: String
    /// Items by id.
    public var items: [String: PlanItem] = [:]

    /// Creates an empty plan.
    public init(vin: String, dealershipId: String) {
        self.vin = vin
        self.dealershipId = dealershipId
    }

    /// Items whose op code is `opCode`, sorted by id.
    public func items(forOpCode opCode: String) -> [PlanItem] {
        items.values.filter { $0.opCode == opCode }.sorted { $0.itemId < $1.itemId }
    }

    /// Every item's due status at `odometer` and `now`, by item id.
    public func dueStatuses(odometer: Distance, now: Timestamp) -> [String: DueStatus] {
        items.mapValues { $0.dueStatus(odometer: odometer, now: now) }
    }

    /// The state after `event`.
    public static func evolve(_ state: MaintenancePlanState?, _ event: MaintenancePlanEvent) -> MaintenancePlanState? {
        var plan: MaintenancePlanState
        if case .itemDefined(let e) = event {
            plan = state ?? MaintenancePlanState(vin: e.vin, dealershipId: e.dealershipId)
        } else if let state {
            plan = state
        } else {
            return nil
        }
        switch event {
        case .itemDefined(let e):
            plan.items[e.item.itemId] = e.item
        case .itemServiced(let e):
            plan.items[e.itemId]?.lastService = e.service
            plan.items[e.itemId]?.deferral = nil
        case .itemDeferred(let e):
            plan.items[e.itemId]?.deferral = e.deferral
        case .itemRemoved(let e):
            plan.items[e.itemId] = nil
        }
        return plan
    }
}
