extension RepairOrderState {
    /// Roles allowed to edit an order's jobs and lines.
    static let staffRoles: Set<Role> = [.advisor, .technician, .manager, .admin]
    /// Roles that deal with the customer: open, approve, complete, close, cancel.
    static let frontDeskRoles: Set<Role> = [.advisor, .manager, .admin]
    /// Roles that do the work.
    static let workshopRoles: Set<Role> = [.technician, .manager, .admin]

    /// `"<dealershipId>-<number>"`, the order's id in messages.
    var displayId: String { "\(dealershipId)-\(number)" }

    /// Refuses unless jobs and lines may still change (open or in progress).
    func requireChangeable() throws(DomainError) {
        switch status {
        case .open, .inProgress:
            return
        case .completed, .closed:
            throw .failedPrecondition(reason: "repair order \(displayId) is \(status.rawValue); completed and closed orders are immutable — a manager can reopen a completed order")
        case .cancelled:
            throw .failedPrecondition(reason: "repair order \(displayId) is cancelled and accepts no changes")
        }
    }

    /// The job `jobId`, or ``DomainError/notFound(entity:id:)``.
    func requireJob(_ jobId: String) throws(DomainError) -> RepairOrderJob {
        guard let job = job(jobId) else { throw .notFound(entity: "job", id: jobId) }
        return job
    }

    /// Refuses unless the job may still take lines or a technician (not declined, not completed).
    func requireJobEditable(_ job: RepairOrderJob) throws(DomainError) {
        guard job.status != .declined, job.status != .completed else {
            throw .failedPrecondition(reason: "job \(job.jobId) is \(job.status.rawValue) and can no longer change")
        }
    }

    /// The order's dealership from `references`, or ``DomainError/notFound(entity:id:)``.
    func requireDealership(_ references: RepairOrderReferences) throws(DomainError) -> DealershipState {
        guard let dealership = references.dealership, dealership.dealershipId == dealershipId else {
            throw .notFound(entity: "dealership", id: dealershipId)
        }
        return dealership
    }

    /// Refuses if adding `amount` would overflow the order total.
    func requireTotalFits(adding amount: Money, field: String) throws(DomainError) {
        _ = try total().adding(amount, field: field)
    }
}
