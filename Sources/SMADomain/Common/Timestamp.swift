/// A point in time as Unix milliseconds (UTC), the domain's only notion of time.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Milliseconds in one day.
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// Creates a timestamp from Unix milliseconds.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// This time moved by `days` (negative moves back), saturating at the representable range.
    public func adding(days: Int64) -> Timestamp {
        let (delta, overflow) = days.multipliedReportingOverflow(by: Self.millisecondsPerDay)
        if overflow { return days < 0 ? Timestamp(millisecondsSinceEpoch: .min) : Timestamp(millisecondsSinceEpoch: .max) }
        let (sum, sumOverflow) = millisecondsSinceEpoch.addingReportingOverflow(delta)
        if sumOverflow { return delta < 0 ? Timestamp(millisecondsSinceEpoch: .min) : Timestamp(millisecondsSinceEpoch: .max) }
        return Timestamp(millisecondsSinceEpoch: sum)
    }

    /// This time moved by `minutes`, saturating.
    public func adding(minutes: Int64) -> Timestamp {
        let (delta, overflow) = minutes.multipliedReportingOverflow(by: 60_000)
        let (sum, sumOverflow) = millisecondsSinceEpoch.addingReportingOverflow(delta)
        if overflow || sumOverflow { return minutes < 0 ? Timestamp(millisecondsSinceEpoch: .min) : Timestamp(millisecondsSinceEpoch: .max) }
        return Timestamp(millisecondsSinceEpoch: sum)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The Unix milliseconds as text.
    public var description: String { "\(millisecondsSinceEpoch)ms" }
}
