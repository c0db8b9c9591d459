import SMADomain
import SMAProtos

/// Vehicles: decide via ``VehicleState``, events stored as `sma.v1` messages.
public enum VehicleAggregate: Aggregate {
    public typealias State = VehicleState
    public typealias Event = VehicleEvent
    public typealias Command = VehicleCommand

    public static func decide(_ command: VehicleCommand, _ state: VehicleState?, _ context: DecisionContext) throws(DomainError) -> [VehicleEvent] {
        try VehicleState.decide(command, state, context)
    }

    public static func encode(_ event: VehicleEvent) -> [UInt8] {
        switch event {
        case .registered(let e):
            var m = Sma_V1_VehicleRegistered()
            m.vin = e.vin
            m.dealershipId = e.dealershipId
            m.make = e.make
            m.model = e.model
            m.year = Int32(clamping: e.year)
            m.ownerCustomerId = e.ownerCustomerId
            m.odometer = e.odometer.map(ValueMapping.distance)
            m.registeredAt = ValueMapping.timestamp(e.registeredAt)
            return m.serializedBytes()
        case .odometerRecorded(let e):
            var m = Sma_V1_OdometerRecorded()
            m.vin = e.vin
            m.reading = ValueMapping.distance(e.reading)
            m.recordedAt = ValueMapping.timestamp(e.recordedAt)
            m.recordedBy = e.recordedBy
            return m.serializedBytes()
        case .odometerCorrected(let e):
            var m = Sma_V1_OdometerCorrected()
            m.vin = e.vin
            m.previous = e.previous.map(ValueMapping.distance)
            m.corrected = ValueMapping.distance(e.corrected)
            m.reason = e.reason
            m.actor = e.actor
            m.correctedAt = ValueMapping.timestamp(e.correctedAt)
            return m.serializedBytes()
        case .ownershipTransferred(let e):
            var m = Sma_V1_OwnershipTransferred()
            m.vin = e.vin
            m.fromCustomerId = e.fromCustomerId
            m.toCustomerId = e.toCustomerId
            m.transferredAt = ValueMapping.timestamp(e.transferredAt)
            return m.serializedBytes()
        case .retired(let e):
            var m = Sma_V1_VehicleRetired()
            m.vin = e.vin
            m.reason = e.reason
            m.retiredAt = ValueMapping.timestamp(e.retiredAt)
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> VehicleEvent {
        switch eventType {
        case "VehicleRegistered":
            let m = try PayloadDecoding.message(Sma_V1_VehicleRegistered.self, payload, eventType: eventType)
            let odometer = try m.odometer.map { (d) throws(CommandError) in
                try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.distance(d, field: "odometer") }
            }
            return .registered(.init(vin: m.vin, dealershipId: m.dealershipId, make: m.make, model: m.model, year: Int64(m.year),
                                     ownerCustomerId: m.ownerCustomerId, odometer: odometer,
                                     registeredAt: ValueMapping.timestamp(m.registeredAt)))
        case "OdometerRecorded":
            let m = try PayloadDecoding.message(Sma_V1_OdometerRecorded.self, payload, eventType: eventType)
            let reading = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.distance(m.reading, field: "reading") }
            return .odometerRecorded(.init(vin: m.vin, reading: reading, recordedAt: ValueMapping.timestamp(m.recordedAt), recordedBy: m.recordedBy))
        case "OdometerCorrected":
            let m = try PayloadDecoding.message(Sma_V1_OdometerCorrected.self, payload, eventType: eventType)
            let corrected = try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.distance(m.corrected, field: "corrected") }
            let previous = try m.previous.map { (d) throws(CommandError) in
                try PayloadDecoding.value(eventType) { () throws(DomainError) in try ValueMapping.distance(d, field: "previous") }
            }
            return .odometerCorrected(.init(vin: m.vin, previous: previous, corrected: corrected, reason: m.reason, actor: m.actor,
                                            correctedAt: ValueMapping.timestamp(m.correctedAt)))
        case "OwnershipTransferred":
            let m = try PayloadDecoding.message(Sma_V1_OwnershipTransferred.self, payload, eventType: eventType)
            return .ownershipTransferred(.init(vin: m.vin, fromCustomerId: m.fromCustomerId, toCustomerId: m.toCustomerId,
                                               transferredAt: ValueMapping.timestamp(m.transferredAt)))
        case "VehicleRetired":
            let m = try PayloadDecoding.message(Sma_V1_VehicleRetired.self, payload, eventType: eventType)
            return .retired(.init(vin: m.vin, reason: m.reason, retiredAt: ValueMapping.timestamp(m.retiredAt)))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not a vehicle event type")
        }
    }
}
