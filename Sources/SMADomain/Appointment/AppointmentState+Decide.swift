extension AppointmentState {
    /// Longest accepted visit, in minutes.
    public static let maxDurationMinutes: Int64 = 24 * 60

    /// Decides `command` against the appointment's current state (`nil` for a new stream).
    /// - Returns: The events to append to `appointment-<id>`; empty when nothing changes.
    public static func decide(_ command: AppointmentCommand, _ state: AppointmentState?, _ context: DecisionContext) throws(DomainError) -> [AppointmentEvent] {
        let actor = context.caller.subject
        try Validate.identifier(command.appointmentId, field: "appointment_id")
        if case .book(let id, let dealershipId, let customerId, let vin, let start, let duration, let concerns) = command {
            try Validate.identifier(dealershipId, field: "dealership_id")
            try context.caller.requireAccess(to: dealershipId)
            try Validate.identifier(customerId, field: "customer_id")
            try validateSlot(start: start, durationMinutes: duration, now: context.now)
            guard concerns.count <= 50 else { throw .invalidArgument(field: "concerns", reason: "has \(concerns.count) entries; at most 50 are allowed") }
            for concern in concerns { try Validate.text(concern, field: "concerns", maxLength: 1_000) }
            if state != nil { throw .alreadyExists(entity: "appointment", id: id) }
            return [.booked(.init(appointmentId: id, dealershipId: dealershipId, customerId: customerId, vin: vin.value, start: start, durationMinutes: duration, concerns: concerns, bookedBy: actor))]
        }
        guard let state else { throw .notFound(entity: "appointment", id: command.appointmentId) }
        try context.caller.requireAccess(to: state.dealershipId)
        guard state.status == .booked else {
            throw .failedPrecondition(reason: "appointment \(state.appointmentId) is \(state.status.rawValue); only a booked appointment can change")
        }
        switch command {
        case .book:
            return []
        case .reschedule(_, let start, let duration):
            try validateSlot(start: start, durationMinutes: duration, now: context.now)
            guard start != state.start || duration != state.durationMinutes else { return [] }
            return [.rescheduled(.init(previousStart: state.start, start: start, durationMinutes: duration, rescheduledBy: actor))]
        case .checkIn:
            return [.checkedIn(.init(actor: actor, at: context.now))]
        case .cancel(_, let reason):
            try Validate.text(reason, field: "reason")
            return [.cancelled(.init(actor: actor, reason: reason, at: context.now))]
        case .markNoShow:
            guard context.now >= state.start else {
                throw .failedPrecondition(reason: "appointment \(state.appointmentId) has not started yet; mark a no-show only after its start time")
            }
            return [.markedNoShow(.init(actor: actor, at: context.now))]
        }
    }

    private static func validateSlot(start: Timestamp, durationMinutes: Int64, now: Timestamp) throws(DomainError) {
        guard start > now else { throw .invalidArgument(field: "start", reason: "must be in the future") }
        guard durationMinutes >= 5, durationMinutes <= maxDurationMinutes else {
            throw .invalidArgument(field: "duration_minutes", reason: "\(durationMinutes) is out of range; expected 5…\(maxDurationMinutes)")
        }
    }
}
