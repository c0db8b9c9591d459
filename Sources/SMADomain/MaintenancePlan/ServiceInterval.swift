/// How often a plan item is due: by distance, by time, or both (whichever comes first).
public struct ServiceInterval: Hashable, Sendable {
    /// Longest accepted time interval in days (100 years).
    public static let maxDays: Int64 = 36_500

    /// Distance between services, if distance-based.
    public let distance: Distance?
    /// Days between services, if time-based.
    public let days: Int64?

    /// Creates an interval; at least one of `distance` and `days` must be given.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` naming `interval…`.
    public init(distance: Distance?, days: Int64?) throws(DomainError) {
        guard distance != nil || days != nil else {
            throw .invalidArgument(field: "interval", reason: "needs a distance, a number of days, or both")
        }
        if let distance, distance.value == 0 {
            throw .invalidArgument(field: "interval.distance", reason: "must be greater than 0")
        }
        if let days, days < 1 || days > Self.maxDays {
            throw .invalidArgument(field: "interval.days", reason: "\(days) is out of range; expected 1…\(Self.maxDays)")
        }
        self.distance = distance
        self.days = days
    }
}
