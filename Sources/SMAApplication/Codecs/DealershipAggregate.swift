import SMADomain
import SMAProtos

/// Dealerships: decide via ``DealershipState``, events stored as `sma.v1` messages.
public enum DealershipAggregate: Aggregate {
    public typealias State = DealershipState
    public typealias Event = DealershipEvent
    public typealias Command = DealershipCommand

    public static func decide(_ command: DealershipCommand, _ state: DealershipState?, _ context: DecisionContext) throws(DomainError) -> [DealershipEvent] {
        try DealershipState.decide(command, state, context)
    }

    public static func encode(_ event: DealershipEvent) -> [UInt8] {
        switch event {
        case .registered(let e):
            var m = Sma_V1_DealershipRegistered()
            m.dealershipId = e.dealershipId
            m.name = e.name
            m.currency = e.currency.code
            m.registeredAt = ValueMapping.timestamp(e.registeredAt)
            return m.serializedBytes()
        case .technicianAdded(let e):
            var m = Sma_V1_TechnicianAdded()
            m.dealershipId = e.dealershipId
            m.technicianId = e.technicianId
            m.name = e.name
            return m.serializedBytes()
        case .technicianRemoved(let e):
            var m = Sma_V1_TechnicianRemoved()
            m.dealershipId = e.dealershipId
            m.technicianId = e.technicianId
            return m.serializedBytes()
        case .opCodeDefined(let e):
            var m = Sma_V1_OpCodeDefined()
            m.dealershipId = e.dealershipId
            m.opCode = e.opCode
            m.description = e.description
            m.standardHoursMilli = e.standardHours.thousandths
            return m.serializedBytes()
        case .laborRateSet(let e):
            var m = Sma_V1_LaborRateSet()
            m.dealershipId = e.dealershipId
            m.ratePerHour = ValueMapping.money(e.ratePerHour)
            return m.serializedBytes()
        case .repairOrderNumberAllocated(let e):
            var m = Sma_V1_RepairOrderNumberAllocated()
            m.dealershipId = e.dealershipId
            m.number = e.number
            m.requestId = e.requestId
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> DealershipEvent {
        switch eventType {
        case "DealershipRegistered":
            let m = try PayloadDecoding.message(Sma_V1_DealershipRegistered.self, payload, eventType: eventType)
            let currency = try PayloadDecoding.value(eventType) { () throws(DomainError) in try Currency(m.currency) }
            return .registered(.init(dealershipId: m.dealershipId, name: m.name, currency: currency,
                                     registeredAt: ValueMapping.timestamp(m.registeredAt)))
        case "TechnicianAdded":
            let m = try PayloadDecoding.message(Sma_V1_TechnicianAdded.self, payload, eventType: eventType)
            return .technicianAdded(.init(dealershipId: m.dealershipId, technicianId: m.technicianId, name: m.name))
        case "TechnicianRemoved":
            let m = try PayloadDecoding.message(Sma_V1_TechnicianRemoved.self, payload, eventType: eventType)
            return .technicianRemoved(.init(dealershipId: m.dealershipId, technicianId: m.technicianId))
        case "OpCodeDefined":
            let m = try PayloadDecoding.message(Sma_V1_OpCodeDefined.self, payload, eventType: eventType)
            let hours = try PayloadDecoding.value(eventType) { () throws(DomainError) in try Quantity(thousandths: m.standardHoursMilli) }
            return .opCodeDefined(.init(dealershipId: m.dealershipId, opCode: m.opCode, description: m.description, standardHours: hours))
        case "LaborRateSet":
            let m = try PayloadDecoding.message(Sma_V1_LaborRateSet.self, payload, eventType: eventType)
            let rate = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.money(m.ratePerHour, field: "rate_per_hour") }
            return .laborRateSet(.init(dealershipId: m.dealershipId, ratePerHour: rate))
        case "RepairOrderNumberAllocated":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderNumberAllocated.self, payload, eventType: eventType)
            return .repairOrderNumberAllocated(.init(dealershipId: m.dealershipId, number: m.number, requestId: m.requestId))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not a dealership event type")
        }
    }
}
