import SMAApplication
import SMADomain
import Testing

@Suite("RepairOrderAggregate codec: repair order events ⇄ sma.v1 payloads")
struct RepairOrderAggregateTests {
    @Test("the samples cover every repair order event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.repairOrder.map(\.eventType)) == Set(RepairOrderEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.repairOrder)
    func roundTrip(event: RepairOrderEvent) throws {
        let payload = RepairOrderAggregate.encode(event)
        #expect(try RepairOrderAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.repairOrder)
    func payloadIsTheNamedMessage(event: RepairOrderEvent) throws {
        try expectPayload(RepairOrderAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.repairOrder))
    func encoderWritesEveryField(event: RepairOrderEvent) throws {
        try expectEveryFieldSet(RepairOrderAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: RepairOrderEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try RepairOrderAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("a well-formed payload missing a required value is an unreadable event",
          arguments: ["RepairOrderOpened", "LaborLineAdded", "PartsLineAdded", "RepairOrderCompleted"])
    func missingRequiredValue(eventType: String) {
        let error = #expect(throws: CommandError.self) { try RepairOrderAggregate.decode(eventType: eventType, payload: []) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["PlanItemServiced", "repairOrderOpened", "RepairOrderInvoiced", ""])
    func unknownEventType(eventType: String) {
        let payload = RepairOrderAggregate.encode(SampleEvents.repairOrder[0])
        let error = #expect(throws: CommandError.self) { try RepairOrderAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
