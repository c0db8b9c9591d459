import SMADomain
import SMAProtos

/// Repair orders: decide via ``RepairOrderState`` with the references a ``RepairOrderRequest``
/// carries, events stored as `sma.v1` messages.
public enum RepairOrderAggregate: Aggregate {
    public typealias State = RepairOrderState
    public typealias Event = RepairOrderEvent
    public typealias Command = RepairOrderRequest

    public static func decide(_ request: RepairOrderRequest, _ state: RepairOrderState?, _ context: DecisionContext) throws(DomainError) -> [RepairOrderEvent] {
        try RepairOrderState.decide(request.command, state, context, references: request.references)
    }

    public static func encode(_ event: RepairOrderEvent) -> [UInt8] {
        switch event {
        case .opened(let e):
            var m = Sma_V1_RepairOrderOpened()
            m.dealershipId = e.dealershipId
            m.number = e.number
            m.vin = e.vin
            m.customerId = e.customerId
            m.advisorId = e.advisorId
            m.odometerIn = ValueMapping.distance(e.odometerIn)
            m.concerns = e.concerns
            m.currency = e.currency.code
            m.openedAt = ValueMapping.timestamp(e.openedAt)
            return m.serializedBytes()
        case .jobAdded(let e):
            var m = Sma_V1_JobAdded()
            m.jobId = e.jobId
            m.opCode = e.opCode
            m.description = e.description
            return m.serializedBytes()
        case .laborLineAdded(let line):
            var m = Sma_V1_LaborLineAdded()
            m.lineId = line.lineId
            m.jobId = line.jobId
            m.description = line.description
            m.hoursMilli = line.quantity.thousandths
            m.ratePerHour = ValueMapping.money(line.unitPrice)
            m.amount = ValueMapping.money(line.amount)
            return m.serializedBytes()
        case .partsLineAdded(let line):
            var m = Sma_V1_PartsLineAdded()
            m.lineId = line.lineId
            m.jobId = line.jobId
            m.partNumber = line.partNumber
            m.description = line.description
            m.quantityMilli = line.quantity.thousandths
            m.unitPrice = ValueMapping.money(line.unitPrice)
            m.amount = ValueMapping.money(line.amount)
            return m.serializedBytes()
        case .lineRemoved(let e):
            var m = Sma_V1_LineRemoved()
            m.lineId = e.lineId
            m.jobId = e.jobId
            return m.serializedBytes()
        case .technicianAssigned(let e):
            var m = Sma_V1_TechnicianAssigned()
            m.jobId = e.jobId
            m.technicianId = e.technicianId
            return m.serializedBytes()
        case .jobApproved(let e):
            var m = Sma_V1_JobApproved()
            m.jobId = e.jobId
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .jobDeclined(let e):
            var m = Sma_V1_JobDeclined()
            m.jobId = e.jobId
            m.actor = e.actor
            m.reason = e.reason
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .workStarted(let e):
            var m = Sma_V1_WorkStarted()
            m.jobId = e.jobId
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .findingRecorded(let e):
            var m = Sma_V1_FindingRecorded()
            m.jobId = e.jobId
            m.finding = e.finding
            m.recordedBy = e.recordedBy
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .jobCompleted(let e):
            var m = Sma_V1_JobCompleted()
            m.jobId = e.jobId
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .completed(let e):
            var m = Sma_V1_RepairOrderCompleted()
            m.dealershipId = e.dealershipId
            m.number = e.number
            m.vin = e.vin
            m.odometerOut = ValueMapping.distance(e.odometerOut)
            m.completedOpCodes = e.completedOpCodes
            m.total = ValueMapping.money(e.total)
            m.completedBy = e.completedBy
            m.completedAt = ValueMapping.timestamp(e.completedAt)
            return m.serializedBytes()
        case .closed(let e):
            var m = Sma_V1_RepairOrderClosed()
            m.actor = e.actor
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .cancelled(let e):
            var m = Sma_V1_RepairOrderCancelled()
            m.actor = e.actor
            m.reason = e.reason
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        case .reopened(let e):
            var m = Sma_V1_RepairOrderReopened()
            m.actor = e.actor
            m.reason = e.reason
            m.at = ValueMapping.timestamp(e.at)
            return m.serializedBytes()
        }
    }

    public static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> RepairOrderEvent {
        switch eventType {
        case "RepairOrderOpened":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderOpened.self, payload, eventType: eventType)
            let (odometerIn, currency) = try PayloadDecoding.value(eventType) { () throws(DomainError) in
                (try ValueMapping.distance(m.odometerIn, field: "odometer_in"), try Currency(m.currency))
            }
            return .opened(.init(dealershipId: m.dealershipId, number: m.number, vin: m.vin, customerId: m.customerId,
                                 advisorId: m.advisorId, odometerIn: odometerIn, concerns: m.concerns, currency: currency,
                                 openedAt: ValueMapping.timestamp(m.openedAt)))
        case "JobAdded":
            let m = try PayloadDecoding.message(Sma_V1_JobAdded.self, payload, eventType: eventType)
            return .jobAdded(.init(jobId: m.jobId, opCode: m.opCode, description: m.description))
        case "LaborLineAdded":
            let m = try PayloadDecoding.message(Sma_V1_LaborLineAdded.self, payload, eventType: eventType)
            let line = try PayloadDecoding.value(eventType) { () throws(DomainError) in
                RepairOrderLine(lineId: m.lineId, jobId: m.jobId, kind: .labor, partNumber: "", description: m.description,
                                quantity: try Quantity(thousandths: m.hoursMilli, field: "hours_milli"),
                                unitPrice: try ValueMapping.money(m.ratePerHour, field: "rate_per_hour"),
                                amount: try ValueMapping.money(m.amount, field: "amount"))
            }
            return .laborLineAdded(line)
        case "PartsLineAdded":
            let m = try PayloadDecoding.message(Sma_V1_PartsLineAdded.self, payload, eventType: eventType)
            let line = try PayloadDecoding.value(eventType) { () throws(DomainError) in
                RepairOrderLine(lineId: m.lineId, jobId: m.jobId, kind: .parts, partNumber: m.partNumber, description: m.description,
                                quantity: try Quantity(thousandths: m.quantityMilli, field: "quantity_milli"),
                                unitPrice: try ValueMapping.money(m.unitPrice, field: "unit_price"),
                                amount: try ValueMapping.money(m.amount, field: "amount"))
            }
            return .partsLineAdded(line)
        case "LineRemoved":
            let m = try PayloadDecoding.message(Sma_V1_LineRemoved.self, payload, eventType: eventType)
            return .lineRemoved(.init(lineId: m.lineId, jobId: m.jobId))
        case "TechnicianAssigned":
            let m = try PayloadDecoding.message(Sma_V1_TechnicianAssigned.self, payload, eventType: eventType)
            return .technicianAssigned(.init(jobId: m.jobId, technicianId: m.technicianId))
        case "JobApproved":
            let m = try PayloadDecoding.message(Sma_V1_JobApproved.self, payload, eventType: eventType)
            return .jobApproved(.init(jobId: m.jobId, actor: m.actor, at: ValueMapping.timestamp(m.at)))
        case "JobDeclined":
            let m = try PayloadDecoding.message(Sma_V1_JobDeclined.self, payload, eventType: eventType)
            return .jobDeclined(.init(jobId: m.jobId, actor: m.actor, reason: m.reason, at: ValueMapping.timestamp(m.at)))
        case "WorkStarted":
            let m = try PayloadDecoding.message(Sma_V1_WorkStarted.self, payload, eventType: eventType)
            return .workStarted(.init(jobId: m.jobId, actor: m.actor, at: ValueMapping.timestamp(m.at)))
        case "FindingRecorded":
            let m = try PayloadDecoding.message(Sma_V1_FindingRecorded.self, payload, eventType: eventType)
            return .findingRecorded(.init(jobId: m.jobId, finding: m.finding, recordedBy: m.recordedBy, at: ValueMapping.timestamp(m.at)))
        case "JobCompleted":
            let m = try PayloadDecoding.message(Sma_V1_JobCompleted.self, payload, eventType: eventType)
            return .jobCompleted(.init(jobId: m.jobId, actor: m.actor, at: ValueMapping.timestamp(m.at)))
        case "RepairOrderCompleted":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderCompleted.self, payload, eventType: eventType)
            let (odometerOut, total) = try PayloadDecoding.value(eventType) { () throws(DomainError) in
                (try ValueMapping.distance(m.odometerOut, field: "odometer_out"), try ValueMapping.money(m.total, field: "total"))
            }
            return .completed(.init(dealershipId: m.dealershipId, number: m.number, vin: m.vin, odometerOut: odometerOut,
                                    completedOpCodes: m.completedOpCodes, total: total, completedBy: m.completedBy,
                                    completedAt: ValueMapping.timestamp(m.completedAt)))
        case "RepairOrderClosed":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderClosed.self, payload, eventType: eventType)
            return .closed(.init(actor: m.actor, reason: "", at: ValueMapping.timestamp(m.at)))
        case "RepairOrderCancelled":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderCancelled.self, payload, eventType: eventType)
            return .cancelled(.init(actor: m.actor, reason: m.reason, at: ValueMapping.timestamp(m.at)))
        case "RepairOrderReopened":
            let m = try PayloadDecoding.message(Sma_V1_RepairOrderReopened.self, payload, eventType: eventType)
            return .reopened(.init(actor: m.actor, reason: m.reason, at: ValueMapping.timestamp(m.at)))
        default:
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "not a repair order event type")
        }
    }
}
