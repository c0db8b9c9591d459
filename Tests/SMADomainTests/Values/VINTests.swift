import Testing
@testable import SMADomain

@Suite("VIN")
struct VINTests {
    @Test("accepts real North American VINs whose check digit is correct", arguments: ["1HGCM82633A004352", "1M8GDM9AXKP042788", "11111111111111111"])
    func acceptsValidCheckDigit(_ raw: String) throws {
        #expect(try VIN(raw).value == raw)
    }

    @Test("upper-cases lower-case input")
    func upperCases() throws {
        #expect(try VIN("1hgcm82633a004352").value == "1HGCM82633A004352")
    }

    @Test("refuses a North American VIN with one character changed (wrong check digit)", arguments: ["1HGCM82633A004353", "1HGCM82634A004352", "1M8GDM9A1KP042788", "11111111111111112"])
    func refusesWrongCheckDigit(_ raw: String) {
        let error = refusal { try VIN(raw) }
        #expect(error?.field == "vin")
        #expect(error?.message.contains("check digit") == true)
    }

    @Test("refuses I, O and Q anywhere", arguments: ["WVWZZZ1JZXW00000I", "WVWZZZ1JZXW00000O", "WVWZZZ1JZXW00000Q"])
    func refusesForbiddenLetters(_ raw: String) {
        let error = refusal { try VIN(raw) }
        #expect(error?.field == "vin")
        #expect(error?.message.contains("except I, O and Q") == true)
    }

    @Test("refuses anything but exactly 17 characters", arguments: ["", "1HGCM82633A00435", "1HGCM82633A0043521"])
    func refusesWrongLength(_ raw: String) {
        #expect(refusal { try VIN(raw) }?.kind == .invalidArgument)
    }

    @Test("refuses a non-ASCII character, naming its position", arguments: ["1HGCM82633A00435É", "ÉHGCM82633A004352", "1HGCM82633A0043É2"])
    func refusesNonASCII(_ raw: String) throws {
        let error = try #require(refusal { try VIN(raw) })
        #expect(error.kind == .invalidArgument)
        let position = raw.distance(from: raw.startIndex, to: raw.firstIndex(of: "É")!) + 1
        #expect(error.message.contains("character \(position) "))
    }

    @Test("refuses punctuation")
    func refusesPunctuation() {
        #expect(refusal { try VIN("1HGCM8263-A004352") }?.field == "vin")
    }

    @Test("accepts a non-North-American VIN without checking position 9")
    func acceptsEuropeanWithoutCheckDigit() throws {
        let vin = try VIN("WVWZZZ1JZXW000001")
        #expect(!vin.isNorthAmerican)
        #expect(Character(Unicode.Scalar(VIN.checkDigit(of: Array(vin.value.utf8)))) != "Z")
    }

    @Test("weighs positions 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2 (49 CFR 565.15)")
    func weights() {
        #expect((0..<17).map(VIN.weight(at:)) == [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2])
    }

    @Test("accepts lower case, upper-cases it, and checks the digit of the upper-cased text")
    func lowercaseCheckDigit() throws {
        #expect(try VIN("1hgcm82633a004352").value == "1HGCM82633A004352")
        #expect(refusal { try VIN("1hgcm82634a004352") }?.field == "vin")
    }

    @Test("computes X when the remainder is 10")
    func checkDigitX() {
        #expect(VIN.checkDigit(of: Array("1M8GDM9AXKP042788".utf8)) == UInt8(ascii: "X"))
    }

    @Test("names the field it was given")
    func namesField() {
        #expect(refusal { try VIN("short", field: "vehicle.vin") }?.field == "vehicle.vin")
    }
}
