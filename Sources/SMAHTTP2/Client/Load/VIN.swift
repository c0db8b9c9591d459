/// Vehicle identification numbers with a valid North-American check digit
/// (49 CFR 565.15: transliterate, weight, sum mod 11, 10 → `X`).
public enum VIN {
    /// Characters allowed in a VIN (no I, O, Q).
    static let alphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789".utf8)
    /// Model-year codes (position 10): no U, Z or 0 either.
    static let yearCodes = Array("ABCDEFGHJKLMNPRSTVWXY123456789".utf8)
    /// World manufacturer identifiers of North-American plants.
    static let manufacturers = ["1HG", "1FT", "1G1", "1C4", "2T1", "2HG", "3VW", "3FA", "4T1", "5YJ", "5FN", "1N4"].map { Array($0.utf8) }
    static let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

    /// The transliterated value of a VIN character, `nil` for a character a VIN cannot hold.
    static func value(of character: UInt8) -> Int? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(character - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "H"): Int(character - UInt8(ascii: "A")) + 1
        case UInt8(ascii: "J")...UInt8(ascii: "N"): Int(character - UInt8(ascii: "J")) + 1
        case UInt8(ascii: "P"): 7
        case UInt8(ascii: "R"): 9
        case UInt8(ascii: "S")...UInt8(ascii: "Z"): Int(character - UInt8(ascii: "S")) + 2
        default: nil
        }
    }

    /// The check digit (`0`–`9` or `X`) for 17 characters (position 9, the check digit itself, is ignored), or `nil`
    /// when a character is not allowed in a VIN.
    public static func checkDigit<C: Collection<UInt8>>(for vin: C) -> UInt8? {
        guard vin.count == 17 else { return nil }
        var sum = 0
        for (position, character) in vin.enumerated() where position != 8 {
            guard let value = value(of: character) else { return nil }
            sum += value * weights[position]
        }
        let remainder = sum % 11
        return remainder == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(remainder)
    }

    /// Whether `vin` is 17 allowed characters with a correct check digit.
    public static func isValid(_ vin: String) -> Bool {
        let bytes = Array(vin.utf8)
        guard bytes.count == 17, let digit = checkDigit(for: bytes) else { return false }
        return bytes[8] == digit
    }

    /// `count` distinct valid VINs: a North-American manufacturer code, random descriptor,
    /// check digit, model year, plant, and a 6-digit serial number.
    public static func pool(count: Int, using generator: inout SplitMix64) -> [[UInt8]] {
        var seen = Set<[UInt8]>()
        var pool: [[UInt8]] = []
        pool.reserveCapacity(count)
        while pool.count < count {
            var vin = manufacturers[Int(generator.next(below: UInt64(manufacturers.count)))]
            for _ in 0..<5 { vin.append(alphabet[Int(generator.next(below: UInt64(alphabet.count)))]) }
            vin.append(UInt8(ascii: "0"))
            vin.append(yearCodes[Int(generator.next(below: UInt64(yearCodes.count)))])
            vin.append(alphabet[Int(generator.next(below: UInt64(alphabet.count)))])
            for _ in 0..<6 { vin.append(UInt8(ascii: "0") + UInt8(generator.next(below: 10))) }
            vin[8] = checkDigit(for: vin)!
            if seen.insert(vin).inserted { pool.append(vin) }
        }
        return pool
    }
}
