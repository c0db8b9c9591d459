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
        // On the command path for every vehicle command: work on the UTF-8 bytes (no Unicode
        // case mapping, no array); a VIN is ASCII, so any other byte is refused below.
        var bytes: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = raw.utf8.count
        guard count == 17 else {
            if raw.count == 17, let index = raw.firstIndex(where: { !$0.isASCII }) {
                let position = raw.distance(from: raw.startIndex, to: index) + 1
                throw .invalidArgument(field: field, reason: "character \(position) of '\(raw)' is not allowed; a VIN uses digits and letters except I, O and Q")
            }
            throw .invalidArgument(field: field, reason: "'\(raw)' has \(raw.count) characters; a VIN has exactly 17")
        }
        // One pass over the contiguous bytes: upper-case, check each character, and sum the
        // weighted transliterations for the check digit (every vehicle command validates a VIN).
        var raw = raw
        var hadLowercase = false
        var sum = 0
        let invalid: Int? = withUnsafeMutableBytes(of: &bytes) { buffer in
            raw.withUTF8 { utf8 in
                for index in 0..<17 {
                    var upper = utf8[index]
                    if upper >= UInt8(ascii: "a") && upper <= UInt8(ascii: "z") {
                        upper -= 32
                        hadLowercase = true
                    }
                    guard let value = Self.transliteration(of: upper) else { return index }
                    sum &+= value &* Self.weight(at: index)
                    buffer[index] = upper
                }
                return nil
            }
        }
        if let index = invalid {
            throw .invalidArgument(field: field, reason: "character \(index + 1) of '\(raw)' is not allowed; a VIN uses digits and letters except I, O and Q")
        }
        let (upper, first, actual): (String, UInt8, UInt8) = withUnsafeBytes(of: &bytes) { buffer in
            (hadLowercase ? String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<17]), as: UTF8.self) : raw,
             buffer[0], buffer[8])
        }
        if Self.isNorthAmerican(first: first) {
            let expected = Self.checkDigit(sum: sum)
            guard actual == expected else {
                throw .invalidArgument(field: field, reason: "check digit (position 9) of '\(raw)' is '\(Character(Unicode.Scalar(actual)))' but must be '\(Character(Unicode.Scalar(expected)))' (49 CFR 565.15)")
            }
        }
        value = upper
    }

    /// Whether the VIN was assigned in North America (first character `1`–`5`), where the check digit is mandatory.
    public var isNorthAmerican: Bool { value.utf8.first.map(Self.isNorthAmerican(first:)) ?? false }

    /// The VIN text.
    public var description: String { value }

    static func isNorthAmerican(first: UInt8) -> Bool {
        first >= UInt8(ascii: "1") && first <= UInt8(ascii: "5")
    }
}
