/// A fact recorded on an appointment stream.
public enum AppointmentEvent: DomainEvent {
    /// `AppointmentBooked`.
    case booked(Booked)
    /// `AppointmentRescheduled`.
    case rescheduled(Rescheduled)
    /// `AppointmentCheckedIn`.
    case checkedIn(Transition)
    /// `AppointmentCancelled`.
    case cancelled(Transition)
    /// `AppointmentMarkedNoShow`.
    case markedNoShow(Transition)

    /// Every event type this enum can carry.
    public static let eventTypes = ["AppointmentBooked", "AppointmentRescheduled", "AppointmentCheckedIn", "AppointmentCancelled", "AppointmentMarkedNoShow"]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .booked: return "AppointmentBooked"
        case .rescheduled: return "AppointmentRescheduled"
        case .checkedIn: return "AppointmentCheckedIn"
        case .cancelled: return "AppointmentCancelled"
        case .markedNoShow: return "AppointmentMarkedNoShow"
        }
    }
}
