/// An amount of money in integer minor units (cents, yen, fils) of one currency; never floating point.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in the currency's minor units (may be negative for credits).
    public let minorUnits: Int64
    /// The currency.
    public let currency: Currency

    /// Creates an amount of `minorUnits` in `currency`.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// E.g. `"12345 USD minor units"`.
    public var description: String { "\(minorUnits) \(currency.code) minor units" }
}
