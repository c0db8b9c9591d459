import SMADomain
import SMAProtos

/// Appointments: decide via ``AppointmentState``, events stored as `sma.v1` messages.
public enum AppointmentAggregate: Aggregate {
    public typealias State = AppointmentState
    public typealias Event = AppointmentEvent
    public typealias Command = AppointmentCommand

    public static func decide(_ command: AppointmentCommand, _ state: AppointmentState?, _ context: DecisionContext) throws(DomainError) -> [AppointmentEvent] {
        try AppointmentState.decide(command, state, context)
    }

    public static func encode(_ event: AppointmentEvent) -> [UInt8] {
        switch event {
        case .booked(let e):
            var m = Sma_V1_AppointmentBooked()
            m.appointmentId = e.appointmentId
            m.dealershipId = e.dealershipId
            m.customerId = e.customerId
            m.vin = e.vin
            m.start = ValueMapping.timestamp(e.start)
            m.durationMinutes = e.durationMinutes
            m.concerns = e.concerns
            m.bookedBy = e.bookedBy
            return m.serializedBytes()
        case .rescheduled(let e):
            var m = Sma_V1_AppointmentRescheduled()
            m.previousStart = ValueMapping.timestamp(e.previousStart)
            m.start = ValueMapping.timestamp(e.start)
            m.durationMinutes = e.durationMinutes
            m.rescheduledBy = e.rescheduledBy
            return m.serializedBytes()
        case .checkedIn(let e):
            var m = Sma_V1_AppointmentCheckedIn()
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .cancelled(let e):
            var m = Sma_V1_AppointmentCancelled()
            m.actor = e.actor
            m.reason = e.reason
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .markedNoShow(let e):
            var m = Sma_V1_AppointmentMarkedNoShow()
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> AppointmentEvent {
        switch eventType {
        case "AppointmentBooked":
            let m = try PayloadDecoding.message(Sma_V1_AppointmentBooked.self, payload, eventType: eventType)
            return .booked(.init(appointmentId: m.appointmentId, dealershipId: m.dealershipId, customerId: m.customerId, vin: m.vin,
                                 start: ValueMapping.timestamp(m.start), durationMinutes: m.durationMinutes, concerns: m.concerns,
                                 bookedBy: m.bookedBy))
        case "AppointmentRescheduled":
            let m = try PayloadDecoding.message(Sma_V1_AppointmentRescheduled.self, payload, eventType: eventType)
            return .rescheduled(.init(previousStart: ValueMapping.timestamp(m.previousStart), start: ValueMapping.timestamp(m.start),
                                      durationMinutes: m.durationMinutes, rescheduledBy: m.rescheduledBy))
        case "AppointmentCheckedIn":
            let m = try PayloadDecoding.message(Sma_V1_AppointmentCheckedIn.self, payload, eventType: eventType)
            return .checkedIn(.init(actor: m.actor, at: ValueMapping.timestamp(m.at)))
        case "AppointmentCancelled":
            let m = try PayloadDecoding.message(Sma_V1_AppointmentCancelled.self, payload, eventType: eventType)
            return .cancelled(.init(actor: m.actor, reason: m.reason, at: ValueMapping.timestamp(m.at)))
        case "AppointmentMarkedNoShow":
            let m = try PayloadDecoding.message(Sma_V1_AppointmentMarkedNoShow.self, payload, eventType: eventType)
            return .markedNoShow(.init(actor: m.actor, at: ValueMapping.timestamp(m.at)))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not an appointment event type")
        }
    }
}
