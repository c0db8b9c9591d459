/// How close to its due point a plan item counts as due soon.
public struct DueSoonThreshold: Hashable, Sendable {
    /// Remaining distance at or below which the item is due soon.
    public let distance: Distance?
    /// Remaining days at or below which the item is due soon.
    public let days: Int64?

    /// Creates thresholds; either may be nil (no due-soon warning for that dimension).
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` for negative or absurd days.
    public init(distance: Distance? = nil, days: Int64? = nil) throws(DomainError) {
        if let days, days < 0 || days > ServiceInterval.maxDays {
            throw .invalidArgument(field: "due_soon.days", reason: "\(days) is out of range; expected 0…\(ServiceInterval.maxDays)")
        }
        self.distance = distance
        self.days = days
    }

    /// No due-soon warning.
    public static let disabled = try! DueSoonThreshold()
}
