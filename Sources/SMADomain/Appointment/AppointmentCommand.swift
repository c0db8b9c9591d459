/// A command addressed to an appointment stream, `appointment-<id>`.
public enum AppointmentCommand: Hashable, Sendable {
    /// Books a visit starting in the future.
    case book(appointmentId: String, dealershipId: String, customerId: String, vin: VIN, start: Timestamp, durationMinutes: Int64, concerns: [String])
    /// Moves a booked visit to another future time.
    case reschedule(appointmentId: String, start: Timestamp, durationMinutes: Int64)
    /// Records the customer's arrival.
    case checkIn(appointmentId: String)
    /// Cancels a booked visit.
    case cancel(appointmentId: String, reason: String)
    /// Records that the customer did not come (only once the start time has passed).
    case markNoShow(appointmentId: String)

    /// The appointment the command addresses.
    public var appointmentId: String {
        switch self {
        case .book(let id, _, _, _, _, _, _), .reschedule(let id, _, _), .checkIn(let id), .cancel(let id, _), .markNoShow(let id):
            return id
        }
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.appointment(appointmentId) }
}
