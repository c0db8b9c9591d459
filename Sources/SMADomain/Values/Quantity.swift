/// A strictly positive quantity in thousandths (1.5 h of labour = 1 500; 4 parts = 4 000).
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Largest accepted quantity in thousandths (one million units).
    public static let maxThousandths: Int64 = 1_000_000_000

    /// The quantity in thousandths of a unit; always > 0.
    public let thousandths: Int64

    /// Creates a quantity of `thousandths`/1000 units.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` unless 0 < thousandths ≤ ``maxThousandths``.
    public init(thousandths: Int64, field: String = "quantity") throws(DomainError) {
        guard thousandths > 0 else {
            throw .invalidArgument(field: field, reason: "must be greater than 0 (in thousandths), got \(thousandths)")
        }
        guard thousandths <= Self.maxThousandths else {
            throw .invalidArgument(field: field, reason: "\(thousandths) thousandths exceeds the maximum \(Self.maxThousandths)")
        }
        self.thousandths = thousandths
    }

    /// A whole number of units.
    public init(whole: Int64, field: String = "quantity") throws(DomainError) {
        let (value, overflow) = whole.multipliedReportingOverflow(by: 1_000)
        guard !overflow else {
            throw .invalidArgument(field: field, reason: "\(whole) exceeds the maximum \(Self.maxThousandths / 1_000)")
        }
        try self.init(thousandths: value, field: field)
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.thousandths < rhs.thousandths }

    /// E.g. `"1.500"`.
    public var description: String {
        let fraction = String(thousandths % 1_000)
        return "\(thousandths / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
