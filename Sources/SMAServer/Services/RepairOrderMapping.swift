import SMAApplication
import SMADomain
import SMAProtos

/// A repair order's state as the `sma.v1.RepairOrder` message.
enum RepairOrderMapping {
    static func repairOrder(_ state: RepairOrderState, stream: String, version: UInt64) -> Sma_V1_RepairOrder {
        var message = Sma_V1_RepairOrder()
        message.streamId = stream
        message.version = version
        message.dealershipId = state.dealershipId
        message.number = state.number
        message.vin = state.vin
        message.customerId = state.customerId
        message.advisorId = state.advisorId
        message.status = status(state.status)
        message.odometerIn = ValueMapping.distance(state.odometerIn)
        message.odometerOut = state.odometerOut.map(ValueMapping.distance)
        message.concerns = state.concerns
        message.jobs = state.jobs.map(job)
        message.lines = state.lines.map(line)
        // The domain refuses lines that would overflow the total, so this succeeds for stored orders.
        message.total = (try? state.total()).map(ValueMapping.money)
        return message
    }

    static func status(_ value: RepairOrderStatus) -> Sma_V1_RepairOrderStatus {
        switch value {
        case .open: return .open
        case .inProgress: return .inProgress
        case .completed: return .completed
        case .closed: return .closed
        case .cancelled: return .cancelled
        }
    }

    static func jobStatus(_ value: RepairOrderJobStatus) -> Sma_V1_JobStatus {
        switch value {
        case .proposed: return .proposed
        case .approved: return .approved
        case .declined: return .declined
        case .inProgress: return .inProgress
        case .completed: return .completed
        }
    }

    private static func job(_ job: RepairOrderJob) -> Sma_V1_RepairOrderJob {
        var message = Sma_V1_RepairOrderJob()
        message.jobId = job.jobId
        message.opCode = job.opCode
        message.description = job.description
        message.status = jobStatus(job.status)
        message.technicianId = job.technicianId ?? ""
        message.findings = job.findings
        return message
    }

    private static func line(_ line: RepairOrderLine) -> Sma_V1_RepairOrderLine {
        var message = Sma_V1_RepairOrderLine()
        message.lineId = line.lineId
        message.jobId = line.jobId
        message.kind = line.kind == .labor ? .labor : .parts
        message.partNumber = line.partNumber
        message.description = line.description
        message.quantityMilli = line.quantity.thousandths
        message.unitPrice = ValueMapping.money(line.unitPrice)
        message.amount = ValueMapping.money(line.amount)
        return message
    }
}
