/// Where a repair order is in its lifecycle: open → inProgress → completed → closed, or cancelled.
public enum RepairOrderStatus: String, Hashable, Sendable, CaseIterable {
    /// Opened; no work started yet.
    case open
    /// Work has started on at least one job.
    case inProgress
    /// All work done; odometer out recorded. Immutable except for reopen and close.
    case completed
    /// Closed for good.
    case closed
    /// Cancelled before completion.
    case cancelled

    /// Whether jobs and lines may still change.
    public var acceptsChanges: Bool { self == .open || self == .inProgress }
}
