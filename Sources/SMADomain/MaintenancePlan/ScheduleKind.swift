/// Where a plan item's next due point is measured from.
public enum ScheduleKind: String, Hashable, Sendable, CaseIterable {
    /// From the last service (or the plan baseline before the first service).
    case rolling
    /// At fixed multiples of the interval from the baseline (10 000, 20 000, …); a service counts
    /// for the nearest multiple, early or late.
    case fixed
}
