import SMADomain
import Testing

@Suite("Event type names")
struct EventTypeNamesTests {
    @Test("every domain event type names a generated sma.v1 message, and no two aggregates share one")
    func everyEventTypeNamesAMessage() {
        let all = EventMessages.allDomainEventTypes
        #expect(Set(all).count == all.count)
        #expect(Set(all) == Set(EventMessages.byEventType.keys))
        for (eventType, message) in EventMessages.byEventType {
            #expect(message.protoDescriptor.fullName == "sma.v1.\(eventType)")
        }
    }
}
