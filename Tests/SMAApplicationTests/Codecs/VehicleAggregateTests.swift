import SMAApplication
import SMADomain
import Testing

@Suite("VehicleAggregate codec: vehicle events ⇄ sma.v1 payloads")
struct VehicleAggregateTests {
    @Test("the samples cover every vehicle event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.vehicle.map(\.eventType)) == Set(VehicleEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.vehicle)
    func roundTrip(event: VehicleEvent) throws {
        let payload = VehicleAggregate.encode(event)
        #expect(try VehicleAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.vehicle)
    func payloadIsTheNamedMessage(event: VehicleEvent) throws {
        try expectPayload(VehicleAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.vehicle))
    func encoderWritesEveryField(event: VehicleEvent) throws {
        try expectEveryFieldSet(VehicleAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: VehicleEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try VehicleAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("a well-formed payload missing a required value is an unreadable event",
          arguments: ["OdometerRecorded", "OdometerCorrected"])
    func missingRequiredValue(eventType: String) {
        let error = #expect(throws: CommandError.self) { try VehicleAggregate.decode(eventType: eventType, payload: []) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["CustomerRegistered", "vehicleRegistered", "VehicleScrapped", ""])
    func unknownEventType(eventType: String) {
        let payload = VehicleAggregate.encode(SampleEvents.vehicle[0])
        let error = #expect(throws: CommandError.self) { try VehicleAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
