/// What a ``RepairOrderCommand`` asks for.
///
/// Actions marked *needs dealership* or *needs vehicle* read ``RepairOrderReferences``.
public enum RepairOrderAction: Hashable, Sendable {
    /// Opens the order (needs dealership and vehicle): the number must have been allocated and
    /// `odometerIn` may not be below the vehicle's last reading.
    case open(vin: VIN, customerId: String, advisorId: String, odometerIn: Distance, concerns: [String])
    /// Adds a job for a defined op code (needs dealership).
    case addJob(jobId: String, opCode: String, description: String)
    /// Adds a labour line at the dealership's labour rate; `hours` nil means the op code's standard hours (needs dealership).
    case addLaborLine(lineId: String, jobId: String, description: String, hours: Quantity?)
    /// Adds a parts line.
    case addPartsLine(lineId: String, jobId: String, partNumber: String, description: String, quantity: Quantity, unitPrice: Money)
    /// Removes a labour or parts line.
    case removeLine(lineId: String)
    /// Assigns a technician of the order's dealership to a job (needs dealership).
    case assignTechnician(jobId: String, technicianId: String)
    /// Records the customer's approval of a job.
    case approveJob(jobId: String)
    /// Records the customer's refusal of a job.
    case declineJob(jobId: String, reason: String)
    /// Starts work on an approved job that has a technician.
    case startWork(jobId: String)
    /// Records what the technician found while working on a job.
    case recordFinding(jobId: String, finding: String)
    /// Completes a job in progress.
    case completeJob(jobId: String)
    /// Completes the order once every job is completed or declined; `vehicle` is checked if given.
    case complete(odometerOut: Distance)
    /// Closes a completed order (invoiced and paid); closed orders never change.
    case close
    /// Cancels an order that is not yet completed.
    case cancel(reason: String)
    /// Reopens a completed order (manager or admin only).
    case reopen(reason: String)
}
