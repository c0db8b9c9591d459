import SMAApplication
import SMADomain
import Testing

@Suite("AppointmentAggregate codec: appointment events ⇄ sma.v1 payloads")
struct AppointmentAggregateTests {
    @Test("the samples cover every appointment event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.appointment.map(\.eventType)) == Set(AppointmentEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.appointment)
    func roundTrip(event: AppointmentEvent) throws {
        let payload = AppointmentAggregate.encode(event)
        #expect(try AppointmentAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.appointment)
    func payloadIsTheNamedMessage(event: AppointmentEvent) throws {
        try expectPayload(AppointmentAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.appointment))
    func encoderWritesEveryField(event: AppointmentEvent) throws {
        try expectEveryFieldSet(AppointmentAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: AppointmentEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try AppointmentAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["RepairOrderOpened", "appointmentBooked", "AppointmentConfirmed", ""])
    func unknownEventType(eventType: String) {
        let payload = AppointmentAggregate.encode(SampleEvents.appointment[0])
        let error = #expect(throws: CommandError.self) { try AppointmentAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
