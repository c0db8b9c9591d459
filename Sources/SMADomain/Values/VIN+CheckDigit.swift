extension VIN {
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
            sum += (transliteration(of: byte) ?? 0) * weight(at: index)
        }
        return checkDigit(sum: sum)
    }

    /// The check digit for a weighted sum of transliterations: mod 11, 10 written as `X`.
    static func checkDigit(sum: Int) -> UInt8 {
        let remainder = sum % 11
        return remainder == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(remainder)
    }

    /// The 49 CFR 565.15 weight of position `index` (0-based; position 9, the check digit itself,
    /// weighs 0), computed rather than read from an array on every character.
    @inline(__always)
    static func weight(at index: Int) -> Int {
        switch index {
        case 0...6: return 8 - index      // 8 7 6 5 4 3 2
        case 7: return 10
        case 8: return 0                  // the check digit itself
        default: return 18 - index        // 9 8 7 6 5 4 3 2
        }
    }
}
