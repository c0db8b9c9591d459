/// A non-negative whole distance that keeps the unit it was given in.
///
/// Equality, hashing and ordering use one canonical unit (exact millimetres), so
/// `100 mi > 150 km` and `15 625 mi == 25 146 km`.
public struct Distance: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Largest accepted value in either unit (well beyond any odometer).
    public static let maxValue: Int64 = 100_000_000

    /// The amount, in ``unit``.
    public let value: Int64
    /// The unit the amount was given in.
    public let unit: DistanceUnit

    /// Creates a distance of `value` `unit`s.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` if `value` is negative or above ``maxValue``.
    public init(value: Int64, unit: DistanceUnit, field: String = "distance") throws(DomainError) {
        guard value >= 0, value <= Self.maxValue else {
            throw .invalidArgument(field: field, reason: "\(value) \(unit.rawValue) is out of range; expected 0…\(Self.maxValue)")
        }
        self.value = value
        self.unit = unit
    }

    /// Kilometres, for literals in tests and fixtures; traps on an invalid value.
    public static func km(_ value: Int64) -> Distance { try! Distance(value: value, unit: .km) }
    /// Miles, for literals in tests and fixtures; traps on an invalid value.
    public static func mi(_ value: Int64) -> Distance { try! Distance(value: value, unit: .mi) }

    /// The distance in exact millimetres: the canonical unit of every comparison.
    public var canonicalMillimeters: Int64 { value * unit.millimetersPerUnit }

    public static func == (lhs: Distance, rhs: Distance) -> Bool {
        lhs.canonicalMillimeters == rhs.canonicalMillimeters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalMillimeters)
    }

    public static func < (lhs: Distance, rhs: Distance) -> Bool {
        lhs.canonicalMillimeters < rhs.canonicalMillimeters
    }

    /// E.g. `"12000 km"`.
    public var description: String { "\(value) \(unit.rawValue)" }
}
