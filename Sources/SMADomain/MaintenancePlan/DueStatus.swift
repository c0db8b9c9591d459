/// How urgent a plan item is.
public enum DueStatus: String, Hashable, Comparable, Sendable, CaseIterable {
    /// Not due yet.
    case ok
    /// Within the due-soon threshold of its due point.
    case dueSoon
    /// At or past its due point.
    case overdue

    private var rank: Int {
        switch self {
        case .ok: return 0
        case .dueSoon: return 1
        case .overdue: return 2
        }
    }

    public static func < (lhs: DueStatus, rhs: DueStatus) -> Bool { lhs.rank < rhs.rank }
}
