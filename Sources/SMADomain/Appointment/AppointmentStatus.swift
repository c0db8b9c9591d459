/// Where an appointment is: booked, then checked in, cancelled or no-show.
public enum AppointmentStatus: String, Hashable, Sendable, CaseIterable {
    /// Booked (possibly rescheduled).
    case booked
    /// The customer arrived.
    case checkedIn
    /// Cancelled before the visit.
    case cancelled
    /// The customer did not come.
    case noShow
}
