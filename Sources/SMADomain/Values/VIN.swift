/// A validated 17-character Vehicle Identification Number.
///
/// Letters are upper-cased; `I`, `O` and `Q` are never allowed. North American VINs (first
/// character `1`–`5`) must also carry a correct check digit at position 9 (49 CFR 565.15).
public struct VIN: Hashable, Sendable, CustomStringConvertible {
    /// The 17 upper-case characters.
    public let value: String

    /// Validates `raw` (case-insensitive) as a VIN.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` naming `field`.
    public init(_ raw: String, field: String = "vin") throws(DomainError) {
        let upper = raw.uppercased()
        let bytes = Array(upper.utf8)
        guard bytes.count == 17 else {
            throw .invalidArgument(field: field, reason: "'\(raw)' has \(raw.count) characters; a VIN has exactly 17")
        }
        for (index, byte) in bytes.enumerated() {
            guard Self.transliteration(of: byte) != nil else {
                throw .invalidArgument(field: field, reason: "character \(index + 1) of '\(raw)' is not allowed; a VIN uses digits and letters except I, O and Q")
            }
        }
        if Self.isNorthAmerican(bytes) {
            let expected = Self.checkDigit(of: bytes)
            guard bytes[8] == expected else {
                throw .invalidArgument(field: field, reason: "check digit (position 9) of '\(raw)' is '\(Character(Unicode.Scalar(bytes[8])))' but must be '\(Character(Unicode.Scalar(expected)))' (49 CFR 565.15)")
            }
        }
        value = upper
    }

    /// Whether the VIN was assigned in North America (first character `1`–`5`), where the check digit is mandatory.
    public var isNorthAmerican: Bool { Self.isNorthAmerican(Array(value.utf8)) }

    /// The VIN text.
    public var description: String { value }

    static func isNorthAmerican(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        return first >= UInt8(ascii: "1") && first <= UInt8(ascii: "5")
    }
}
