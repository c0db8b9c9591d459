/// A fact recorded on a maintenance-plan stream.
public enum MaintenancePlanEvent: DomainEvent {
    /// `PlanItemDefined` (the first one creates the plan).
    case itemDefined(ItemDefined)
    /// `PlanItemServiced`.
    case itemServiced(ItemServiced)
    /// `PlanItemDeferred`.
    case itemDeferred(ItemDeferred)
    /// `PlanItemRemoved`.
    case itemRemoved(ItemRemoved)

    /// Every event type this enum can carry.
    public static let eventTypes = ["PlanItemDefined", "PlanItemServiced", "PlanItemDeferred", "PlanItemRemoved"]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .itemDefined: return "PlanItemDefined"
        case .itemServiced: return "PlanItemServiced"
        case .itemDeferred: return "PlanItemDeferred"
        case .itemRemoved: return "PlanItemRemoved"
        }
    }
}
