/// A fact recorded on a dealership stream.
public enum DealershipEvent: DomainEvent {
    /// `DealershipRegistered`.
    case registered(Registered)
    /// `TechnicianAdded`.
    case technicianAdded(TechnicianAdded)
    /// `TechnicianRemoved`.
    case technicianRemoved(TechnicianRemoved)
    /// `OpCodeDefined`.
    case opCodeDefined(OpCodeDefined)
    /// `LaborRateSet`.
    case laborRateSet(LaborRateSet)
    /// `RepairOrderNumberAllocated`.
    case repairOrderNumberAllocated(RepairOrderNumberAllocated)

    /// Every event type this enum can carry.
    public static let eventTypes = [
        "DealershipRegistered", "TechnicianAdded", "TechnicianRemoved", "OpCodeDefined", "LaborRateSet",
        "RepairOrderNumberAllocated",
    ]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .registered: return "DealershipRegistered"
        case .technicianAdded: return "TechnicianAdded"
        case .technicianRemoved: return "TechnicianRemoved"
        case .opCodeDefined: return "OpCodeDefined"
        case .laborRateSet: return "LaborRateSet"
        case .repairOrderNumberAllocated: return "RepairOrderNumberAllocated"
        }
    }
}
