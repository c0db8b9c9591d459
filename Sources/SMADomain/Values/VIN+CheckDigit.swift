extension VIN {
    /// Position weights of 49 CFR 565.15 (position 9, the check digit itself, weighs 0).
    static let weights: [Int] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    /// The check digit for 17 valid VIN characters given as an array.
    static func checkDigit(of bytes: [UInt8]) -> UInt8 {
        bytes.withUnsafeBytes { checkDigit(of: $0) }
    }

    /// The numeric value of a VIN character, or `nil` for a character a VIN may not contain.
    static func transliteration(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "H"): return Int(byte - UInt8(ascii: "A")) + 1
        case UInt8(ascii: "J")...UInt8(ascii: "N"): return Int(byte - UInt8(ascii: "J")) + 1
        case UInt8(ascii: "P"): return 7
        case UInt8(ascii: "R"): return 9
        case UInt8(ascii: "S")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "S")) + 2
        default: return nil
        }
    }

    /// The check digit (`0`–`9` or `X`) for 17 valid VIN characters: weighted sum mod 11.
    static func checkDigit(of bytes: UnsafeRawBufferPointer) -> UInt8 {
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            sum += (transliteration(of: byte) ?? 0) * weights[index]
        }
        let remainder = sum % 11
        return remainder == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(remainder)
    }
}
