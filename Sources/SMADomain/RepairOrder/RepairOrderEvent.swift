/// A fact recorded on a repair-order stream.
public enum RepairOrderEvent: DomainEvent {
    /// `RepairOrderOpened`.
    case opened(Opened)
    /// `JobAdded`.
    case jobAdded(JobAdded)
    /// `LaborLineAdded`.
    case laborLineAdded(RepairOrderLine)
    /// `PartsLineAdded`.
    case partsLineAdded(RepairOrderLine)
    /// `LineRemoved`.
    case lineRemoved(LineRemoved)
    /// `TechnicianAssigned`.
    case technicianAssigned(TechnicianAssigned)
    /// `JobApproved`.
    case jobApproved(JobTransition)
    /// `JobDeclined` (the transition's `reason` is the customer's).
    case jobDeclined(JobTransition)
    /// `WorkStarted`: the job is in progress, and so is the order.
    case workStarted(JobTransition)
    /// `FindingRecorded`.
    case findingRecorded(FindingRecorded)
    /// `JobCompleted`.
    case jobCompleted(JobTransition)
    /// `RepairOrderCompleted`: followed by ``RepairOrderCompletionPolicy``.
    case completed(Completed)
    /// `RepairOrderClosed`.
    case closed(OrderTransition)
    /// `RepairOrderCancelled`.
    case cancelled(OrderTransition)
    /// `RepairOrderReopened`.
    case reopened(OrderTransition)

    /// Every event type this enum can carry.
    public static let eventTypes = [
        "RepairOrderOpened", "JobAdded", "LaborLineAdded", "PartsLineAdded", "LineRemoved", "TechnicianAssigned",
        "JobApproved", "JobDeclined", "WorkStarted", "FindingRecorded", "JobCompleted", "RepairOrderCompleted",
        "RepairOrderClosed", "RepairOrderCancelled", "RepairOrderReopened",
    ]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .opened: return "RepairOrderOpened"
        case .jobAdded: return "JobAdded"
        case .laborLineAdded: return "LaborLineAdded"
        case .partsLineAdded: return "PartsLineAdded"
        case .lineRemoved: return "LineRemoved"
        case .technicianAssigned: return "TechnicianAssigned"
        case .jobApproved: return "JobApproved"
        case .jobDeclined: return "JobDeclined"
        case .workStarted: return "WorkStarted"
        case .findingRecorded: return "FindingRecorded"
        case .jobCompleted: return "JobCompleted"
        case .completed: return "RepairOrderCompleted"
        case .closed: return "RepairOrderClosed"
        case .cancelled: return "RepairOrderCancelled"
        case .reopened: return "RepairOrderReopened"
        }
    }
}
