import SMADomain
import SMAProtos

/// Customers: decide via ``CustomerState``, events stored as `sma.v1` messages.
public enum CustomerAggregate: Aggregate {
    public typealias State = CustomerState
    public typealias Event = CustomerEvent
    public typealias Command = CustomerCommand

    public static func decide(_ command: CustomerCommand, _ state: CustomerState?, _ context: DecisionContext) throws(DomainError) -> [CustomerEvent] {
        try CustomerState.decide(command, state, context)
    }

    public static func encode(_ event: CustomerEvent) -> [UInt8] {
        switch event {
        case .registered(let e):
            var m = Sma_V1_CustomerRegistered()
            m.customerId = e.customerId
            m.dealershipId = e.dealershipId
            m.name = e.name
            m.contact = ValueMapping.contact(e.contact)
            m.registeredAt = ValueMapping.timestamp(e.registeredAt)
            return m.serializedBytes()
        case .contactUpdated(let e):
            var m = Sma_V1_CustomerContactUpdated()
            m.customerId = e.customerId
            m.contact = ValueMapping.contact(e.contact)
            m.updatedAt = ValueMapping.timestamp(e.updatedAt)
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> CustomerEvent {
        switch eventType {
        case "CustomerRegistered":
            let m = try PayloadDecoding.message(Sma_V1_CustomerRegistered.self, payload, eventType: eventType)
            let contact = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.contact(m.contact, field: "contact") }
            return .registered(.init(customerId: m.customerId, dealershipId: m.dealershipId, name: m.name, contact: contact,
                                     registeredAt: ValueMapping.timestamp(m.registeredAt)))
        case "CustomerContactUpdated":
            let m = try PayloadDecoding.message(Sma_V1_CustomerContactUpdated.self, payload, eventType: eventType)
            let contact = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.contact(m.contact, field: "contact") }
            return .contactUpdated(.init(customerId: m.customerId, contact: contact, updatedAt: ValueMapping.timestamp(m.updatedAt)))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not a customer event type")
        }
    }
}
