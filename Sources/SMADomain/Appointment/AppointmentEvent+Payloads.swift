extension AppointmentEvent {
    /// Payload of `AppointmentBooked`.
    public struct Booked: Hashable, Sendable {
        public var appointmentId: String
        public var dealershipId: String
        public var customerId: String
        public var vin: String
        public var start: Timestamp
        public var durationMinutes: Int64
        public var concerns: [String]
        public var bookedBy: String
        /// Creates the payload.
        public init(appointmentId: String, dealershipId: String, customerId: String, vin: String, start: Timestamp, durationMinutes: Int64, concerns: [String], bookedBy: String) {
            self.appointmentId = appointmentId
            self.dealershipId = dealershipId
            self.customerId = customerId
            self.vin = vin
            self.start = start
            self.durationMinutes = durationMinutes
            self.concerns = concerns
            self.bookedBy = bookedBy
        }
    }

    /// Payload of `AppointmentRescheduled`.
    public struct Rescheduled: Hashable, Sendable {
        public var previousStart: Timestamp
        public var start: Timestamp
        public var durationMinutes: Int64
        public var rescheduledBy: String
        /// Creates the payload.
        public init(previousStart: Timestamp, start: Timestamp, durationMinutes: Int64, rescheduledBy: String) {
            self.previousStart = previousStart
            self.start = start
            self.durationMinutes = durationMinutes
            self.rescheduledBy = rescheduledBy
        }
    }

    /// Payload of `AppointmentCheckedIn`, `AppointmentCancelled` and `AppointmentMarkedNoShow`.
    public struct Transition: Hashable, Sendable {
        public var actor: String
        /// Why (cancellations); empty otherwise.
        public var reason: String
        public var at: Timestamp
        /// Creates the payload.
        public init(actor: String, reason: String = "", at: Timestamp) {
            self.actor = actor
            self.reason = reason
            self.at = at
        }
    }
}
