/// Where a job on a repair order is: proposed → approved → inProgress → completed, or declined.
public enum RepairOrderJobStatus: String, Hashable, Sendable, CaseIterable {
    /// Added, awaiting the customer's decision.
    case proposed
    /// Approved by the customer; work may start.
    case approved
    /// Declined by the customer.
    case declined
    /// A technician is working on it.
    case inProgress
    /// Done.
    case completed
}
