import SMADomain
import SMAProtos

/// Maintenance plans: decide via ``MaintenancePlanState``, events stored as `sma.v1` messages.
public enum MaintenancePlanAggregate: Aggregate {
    public typealias State = MaintenancePlanState
    public typealias Event = MaintenancePlanEvent
    public typealias Command = MaintenancePlanCommand

    public static func decide(_ command: MaintenancePlanCommand, _ state: MaintenancePlanState?, _ context: DecisionContext) throws(DomainError) -> [MaintenancePlanEvent] {
        try MaintenancePlanState.decide(command, state, context)
    }

    public static func encode(_ event: MaintenancePlanEvent) -> [UInt8] {
        switch event {
        case .itemDefined(let e):
            var m = Sma_V1_PlanItemDefined()
            m.vin = e.vin
            m.dealershipId = e.dealershipId
            m.itemId = e.item.itemId
            m.name = e.item.name
            m.opCode = e.item.opCode
            m.interval = ValueMapping.interval(e.item.interval)
            m.schedule = ValueMapping.schedule(e.item.schedule)
            m.dueSoon = ValueMapping.dueSoon(e.item.dueSoon)
            m.baselineOdometer = ValueMapping.distance(e.item.baseline.distance)
            m.baselineAt = ValueMapping.timestamp(e.item.baseline.recordedAt)
            return m.serializedBytes()
        case .itemServiced(let e):
            var m = Sma_V1_PlanItemServiced()
            m.itemId = e.itemId
            m.odometer = ValueMapping.distance(e.service.odometer)
            m.servicedAt = ValueMapping.timestamp(e.service.at)
            m.sourceId = e.service.sourceId
            return m.serializedBytes()
        case .itemDeferred(let e):
            var m = Sma_V1_PlanItemDeferred()
            m.itemId = e.itemId
            m.untilOdometer = e.deferral.untilOdometer.map(ValueMapping.distance)
            m.untilTime = e.deferral.untilTime.map(ValueMapping.timestamp)
            m.reason = e.deferral.reason
            m.deferredBy = e.deferredBy
            return m.serializedBytes()
        case .itemRemoved(let e):
            var m = Sma_V1_PlanItemRemoved()
            m.itemId = e.itemId
            m.reason = e.reason
            m.removedBy = e.removedBy
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> MaintenancePlanEvent {
        switch eventType {
        case "PlanItemDefined":
            let m = try PayloadDecoding.message(Sma_V1_PlanItemDefined.self, payload, eventType: eventType)
            let item = try PayloadDecoding.value(eventType) { () throws(DomainError) in
                PlanItem(itemId: m.itemId, name: m.name, opCode: m.opCode,
                         interval: try ValueMapping.interval(m.interval, field: "interval"),
                         schedule: try ValueMapping.schedule(m.schedule, field: "schedule"),
                         dueSoon: try ValueMapping.dueSoon(m.dueSoon, field: "due_soon"),
                         baseline: OdometerReading(distance: try ValueMapping.distance(m.baselineOdometer, field: "baseline_odometer"),
                                                   recordedAt: ValueMapping.timestamp(m.baselineAt)))
            }
            return .itemDefined(.init(vin: m.vin, dealershipId: m.dealershipId, item: item))
        case "PlanItemServiced":
            let m = try PayloadDecoding.message(Sma_V1_PlanItemServiced.self, payload, eventType: eventType)
            let odometer = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.distance(m.odometer, field: "odometer") }
            return .itemServiced(.init(itemId: m.itemId, service: ServiceRecord(odometer: odometer, at: ValueMapping.timestamp(m.servicedAt), sourceId: m.sourceId)))
        case "PlanItemDeferred":
            let m = try PayloadDecoding.message(Sma_V1_PlanItemDeferred.self, payload, eventType: eventType)
            let until = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.optionalDistance(m.untilOdometer, field: "until_odometer") }
            let deferral = Deferral(untilOdometer: until, untilTime: ValueMapping.optionalTimestamp(m.untilTime), reason: m.reason)
            return .itemDeferred(.init(itemId: m.itemId, deferral: deferral, deferredBy: m.deferredBy))
        case "PlanItemRemoved":
            let m = try PayloadDecoding.message(Sma_V1_PlanItemRemoved.self, payload, eventType: eventType)
            return .itemRemoved(.init(itemId: m.itemId, reason: m.reason, removedBy: m.removedBy))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not a maintenance plan event type")
        }
    }
}
