import SMAHTTP2
import Testing

@Suite("VINs")
struct VINTests {
    @Test("published VINs have valid check digits", arguments: ["1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352", "5YJSA1E18HF000337"])
    func known(vin: String) {
        #expect(VIN.isValid(vin))
    }

    @Test("a wrong check digit, a forbidden letter or a wrong length is invalid",
          arguments: ["1M8GDM9A1KP042788", "1HGCM82633A00435", "1HGCM82633A0043521", "IHGCM82633A004352", "1HGCM8263QA004352"])
    func invalid(vin: String) {
        #expect(!VIN.isValid(vin))
    }

    @Test("the check digit follows 49 CFR 565.15 (remainder 10 is X)")
    func checkDigit() {
        #expect(VIN.checkDigit(for: Array("1M8GDM9A_KP042788".utf8)) == UInt8(ascii: "X"))
        #expect(VIN.checkDigit(for: Array("1HGCM826_3A004352".utf8)) == UInt8(ascii: "3"))
    }

    @Test("a generated pool holds distinct, valid, North-American VINs")
    func pool() {
        var random = SplitMix64(seed: 2024)
        let pool = VIN.pool(count: 2_000, using: &random).map { String(decoding: $0, as: UTF8.self) }
        #expect(Set(pool).count == 2_000)
        for vin in pool {
            #expect(vin.count == 17 && VIN.isValid(vin), "\(vin)")
            #expect(!vin.contains { "IOQ".contains($0) })
            #expect("12345".contains(vin.first!))
            #expect(!"UZ0".contains(vin[vin.index(vin.startIndex, offsetBy: 9)]), "model year code of \(vin)")
        }
        var again = SplitMix64(seed: 2024)
        #expect(VIN.pool(count: 5, using: &again).map { String(decoding: $0, as: UTF8.self) } == Array(pool.prefix(5)), "same seed, same pool")
    }
}
