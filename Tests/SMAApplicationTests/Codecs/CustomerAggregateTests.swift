import SMAApplication
import SMADomain
import Testing

@Suite("CustomerAggregate codec: customer events ⇄ sma.v1 payloads")
struct CustomerAggregateTests {
    @Test("the samples cover every customer event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.customer.map(\.eventType)) == Set(CustomerEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.customer)
    func roundTrip(event: CustomerEvent) throws {
        let payload = CustomerAggregate.encode(event)
        #expect(try CustomerAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.customer)
    func payloadIsTheNamedMessage(event: CustomerEvent) throws {
        try expectPayload(CustomerAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.customer))
    func encoderWritesEveryField(event: CustomerEvent) throws {
        try expectEveryFieldSet(CustomerAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: CustomerEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try CustomerAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("a well-formed payload missing a required value is an unreadable event",
          arguments: ["CustomerRegistered", "CustomerContactUpdated"])
    func missingRequiredValue(eventType: String) {
        let error = #expect(throws: CommandError.self) { try CustomerAggregate.decode(eventType: eventType, payload: []) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["DealershipRegistered", "customerRegistered", "CustomerDeleted", ""])
    func unknownEventType(eventType: String) {
        let payload = CustomerAggregate.encode(SampleEvents.customer[0])
        let error = #expect(throws: CommandError.self) { try CustomerAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
