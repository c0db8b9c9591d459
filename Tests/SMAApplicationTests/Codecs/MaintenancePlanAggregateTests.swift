import SMAApplication
import SMADomain
import Testing

@Suite("MaintenancePlanAggregate codec: maintenance plan events ⇄ sma.v1 payloads")
struct MaintenancePlanAggregateTests {
    @Test("the samples cover every maintenance plan event type")
    func samplesCoverEveryEventType() {
        #expect(Set(SampleEvents.maintenancePlan.map(\.eventType)) == Set(MaintenancePlanEvent.eventTypes))
    }

    @Test("decoding an encoded event returns the same event", arguments: SampleEvents.maintenancePlan)
    func roundTrip(event: MaintenancePlanEvent) throws {
        let payload = MaintenancePlanAggregate.encode(event)
        #expect(try MaintenancePlanAggregate.decode(eventType: event.eventType, payload: payload) == event)
    }

    @Test("the payload is exactly the sma.v1 message the event type names", arguments: SampleEvents.maintenancePlan)
    func payloadIsTheNamedMessage(event: MaintenancePlanEvent) throws {
        try expectPayload(MaintenancePlanAggregate.encode(event), isMessageNamed: event.eventType)
    }

    @Test("the encoder writes every field of the message", arguments: SampleEvents.complete(SampleEvents.maintenancePlan))
    func encoderWritesEveryField(event: MaintenancePlanEvent) throws {
        try expectEveryFieldSet(MaintenancePlanAggregate.encode(event), eventType: event.eventType)
    }

    @Test("garbage payload bytes are an unreadable event naming the type", arguments: MaintenancePlanEvent.eventTypes)
    func garbagePayload(eventType: String) {
        let error = #expect(throws: CommandError.self) { try MaintenancePlanAggregate.decode(eventType: eventType, payload: EventMessages.garbage) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("a well-formed payload missing a required value is an unreadable event",
          arguments: ["PlanItemDefined", "PlanItemServiced"])
    func missingRequiredValue(eventType: String) {
        let error = #expect(throws: CommandError.self) { try MaintenancePlanAggregate.decode(eventType: eventType, payload: []) }
        #expect(error?.unreadableEventType == eventType)
    }

    @Test("an unknown event type is an unreadable event", arguments: ["RepairOrderCompleted", "planItemDefined", "PlanItemRenamed", ""])
    func unknownEventType(eventType: String) {
        let payload = MaintenancePlanAggregate.encode(SampleEvents.maintenancePlan[0])
        let error = #expect(throws: CommandError.self) { try MaintenancePlanAggregate.decode(eventType: eventType, payload: payload) }
        #expect(error?.unreadableEventType == eventType)
    }
}
