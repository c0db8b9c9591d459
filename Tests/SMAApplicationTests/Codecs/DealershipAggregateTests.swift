import SMAApplication
import SMADomain
import Testing

@Suite("DealershipAggregate codec: dealership events ⇄ sma.v1 payloads")
struct DealershipAggregateTests {
    @Test("the samples cover every dealership event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.dealership.map(\.eventType)) == Set(DealershipEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.dealership)
    func roundTrip(event: DealershipEvent) throws {
        let payload = DealershipAggregate.encode(event)
        #expect(try DealershipAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.dealership)
    func payloadIsTheNamedMessage(event: DealershipEvent) throws {
        try expectPayload(DealershipAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.dealership))
    func encoderWritesEveryField(event: DealershipEvent) throws {
        try expectEveryFieldSet(DealershipAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: DealershipEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try DealershipAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("a well-formed payload missing a required value is an unreadable event",
          arguments: ["DealershipRegistered", "OpCodeDefined", "LaborRateSet"])
    func missingRequiredValue(eventType: String) {
        let error = #expect(throws: CommandError.self) { try DealershipAggregate.decode(eventType: eventType, payload: []) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["VehicleRegistered", "dealershipRegistered", "DealershipRegisteredV2", ""])
    func unknownEventType(eventType: String) {
        let payload = DealershipAggregate.encode(SampleEvents.dealership[0])
        let error = #expect(throws: CommandError.self) { try DealershipAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
