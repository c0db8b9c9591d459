/// The current state of one appointment, folded from `appointment-<id>`.
public struct AppointmentState: AggregateState {
    public typealias Event = AppointmentEvent

    /// The appointment id.
    public var appointmentId: String
    /// The dealership the visit is at.
    public var dealershipId: String
    /// The customer.
    public var customerId: String
    /// The vehicle.
    public var vin: String
    /// When the visit starts.
    public var start: Timestamp
    /// How long it is planned to take.
    public var durationMinutes: Int64
    /// The customer's concerns.
    public var concerns: [String]
    /// Where the appointment is.
    public var status: AppointmentStatus = .booked

    /// Creates the state of a fresh booking.
    public init(_ booked: AppointmentEvent.Booked) {
        appointmentId = booked.appointmentId
        dealershipId = booked.dealershipId
        customerId = booked.customerId
        vin = booked.vin
        start = booked.start
        durationMinutes = booked.durationMinutes
        concerns = booked.concerns
    }

    /// The state after `event`.
    public static func evolve(_ state: AppointmentState?, _ event: AppointmentEvent) -> AppointmentState? {
        if case .booked(let e) = event { return AppointmentState(e) }
        guard var state else { return nil }
        switch event {
        case .booked:
            break
        case .rescheduled(let e):
            state.start = e.start
            state.durationMinutes = e.durationMinutes
        case .checkedIn:
            state.status = .checkedIn
        case .cancelled:
            state.status = .cancelled
        case .markedNoShow:
            state.status = .noShow
        }
        return state
    }
}
