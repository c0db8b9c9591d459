/// A fact recorded on a vehicle stream.
public enum VehicleEvent: DomainEvent {
    /// `VehicleRegistered`.
    case registered(Registered)
    /// `OdometerRecorded`.
    case odometerRecorded(OdometerRecorded)
    /// `OdometerCorrected`.
    case odometerCorrected(OdometerCorrected)
    /// `OwnershipTransferred`.
    case ownershipTransferred(OwnershipTransferred)
    /// `VehicleRetired`.
    case retired(Retired)

    /// Every event type this enum can carry.
    public static let eventTypes = ["VehicleRegistered", "OdometerRecorded", "OdometerCorrected", "OwnershipTransferred", "VehicleRetired"]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .registered: return "VehicleRegistered"
        case .odometerRecorded: return "OdometerRecorded"
        case .odometerCorrected: return "OdometerCorrected"
        case .ownershipTransferred: return "OwnershipTransferred"
        case .retired: return "VehicleRetired"
        }
    }
}
