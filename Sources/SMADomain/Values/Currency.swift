/// An ISO 4217 currency with its number of minor-unit digits.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three upper-case letters, e.g. `"EUR"`.
    public let code: String
    /// Digits after the decimal point (USD 2, JPY 0, KWD 3).
    public let minorUnitDigits: Int

    /// Minor-unit digits of the currencies the platform accepts.
    static let knownMinorUnitDigits: [String: Int] = [
        "USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "AUD": 2, "NZD": 2, "CHF": 2, "SEK": 2, "NOK": 2,
        "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "MXN": 2, "BRL": 2, "ZAR": 2, "INR": 2,
        "CNY": 2, "HKD": 2, "SGD": 2, "TRY": 2, "ILS": 2, "AED": 2, "SAR": 2,
        "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
        "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3,
    ]

    /// Validates an ISO 4217 code: three upper-case ASCII letters, one of the supported currencies.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` naming `field`.
    public init(_ code: String, field: String = "currency") throws(DomainError) {
        let bytes = Array(code.utf8)
        guard bytes.count == 3, bytes.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw .invalidArgument(field: field, reason: "'\(code)' is not an ISO 4217 code; expected three upper-case letters such as USD")
        }
        guard let digits = Self.knownMinorUnitDigits[code] else {
            let supported = Self.knownMinorUnitDigits.keys.sorted().joined(separator: ", ")
            throw .invalidArgument(field: field, reason: "'\(code)' is not a supported currency; expected one of \(supported)")
        }
        self.code = code
        self.minorUnitDigits = digits
    }

    /// US dollars.
    public static let usd = try! Currency("USD")
    /// Euros.
    public static let eur = try! Currency("EUR")
    /// Japanese yen.
    public static let jpy = try! Currency("JPY")

    /// The code.
    public var description: String { code }
}
