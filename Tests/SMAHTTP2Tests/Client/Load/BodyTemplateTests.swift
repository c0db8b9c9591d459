@testable import SMAHTTP2
import Testing

@Suite("Body templates")
struct BodyTemplateTests {
    private func encode(_ text: String, sequence: UInt64 = 1, values: inout TemplateValues) throws -> [UInt8] {
        let template = try BodyTemplate(parsing: text)
        values.beginRequest(sequence: sequence, drawsVIN: template.usesVIN)
        var buffer: [UInt8] = []
        template.encode(into: &buffer, values: &values)
        return buffer
    }

    private func encode(_ text: String, sequence: UInt64 = 1) throws -> [UInt8] {
        var values = TemplateValues(vinCount: 0, seed: 1)
        return try encode(text, sequence: sequence, values: &values)
    }

    @Test("scalar fields encode to the bytes worked out by hand", arguments: [
        ("1:string:abc", [0x0A, 0x03, 0x61, 0x62, 0x63]),
        ("2:int64:150", [0x10, 0x96, 0x01]),
        ("3:bool:true", [0x18, 0x01]),
        ("4:int32:-1", [0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("5:sint64:-2", [0x28, 0x03]),
        ("5:sint32:1", [0x28, 0x02]),
        ("7:hex:deadBEEF", [0x3A, 0x04, 0xDE, 0xAD, 0xBE, 0xEF]),
        ("8:fixed32:1", [0x45, 0x01, 0x00, 0x00, 0x00]),
        ("9:double:1.5", [0x49, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F]),
        ("10:float:-2", [0x55, 0x00, 0x00, 0x00, 0xC0]),
        ("11:uint64:18446744073709551615", [0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ("16:string:x", [0x82, 0x01, 0x01, 0x78]),
        ("1:string:", [0x0A, 0x00]),
        ("2:message {}", [0x12, 0x00]),
    ] as [(String, [UInt8])])
    func scalars(template: String, expected: [UInt8]) throws {
        #expect(try encode(template) == expected)
    }

    @Test("placeholders are filled per request, inside nested messages too")
    func placeholders() throws {
        // 6:message { 1:uint64:{seq} } with seq 300: 0x32 len=3 { 0x08 0xAC 0x02 }
        #expect(try encode("6:message { 1:uint64:{seq} }", sequence: 300) == [0x32, 0x03, 0x08, 0xAC, 0x02])
        #expect(try encode("1:string:req-{seq}!", sequence: 42) == [0x0A, 0x07] + Array("req-42!".utf8))
        #expect(try encode("1:sint64:{rand:-5:-5}") == [0x08, 0x09])
        #expect(try encode("1:int32:{choice:7}") == [0x08, 0x07])
        #expect(try encode("1:string:{choice:red}") == [0x0A, 0x03] + Array("red".utf8))
    }

    @Test("several fields, repeated fields, separators and whole-line comments")
    func multipleFields() throws {
        let text = "# vehicle\n1:string:a\n1:string:b ;  2:uint32:1\n3:message {\n  # inside\n  1:bool:false\n}\n"
        #expect(try encode(text) == [0x0A, 0x01, 0x61, 0x0A, 0x01, 0x62, 0x10, 0x01, 0x1A, 0x02, 0x08, 0x00])
        // '#' after a value is part of the value, not a comment.
        #expect(try encode("1:string:a # b") == [0x0A, 0x05] + Array("a # b".utf8))
    }

    @Test("quoted values keep blanks and special characters; '{{' is a literal brace")
    func quoting() throws {
        #expect(try encode(#"1:string:" a;b}c \" ""#) == [0x0A, 0x09] + Array(#" a;b}c " "#.utf8))
        #expect(try encode(#"1:string:"{{x}""#) == [0x0A, 0x03] + Array("{x}".utf8))
        #expect(try encode("1:string:{{x") == [0x0A, 0x02] + Array("{x".utf8))
        #expect(try encode("1:string:  trimmed  \n") == [0x0A, 0x07] + Array("trimmed".utf8))
    }

    @Test("a length of 128 or more widens the length prefix in place")
    func longLengths() throws {
        let long = String(repeating: "a", count: 200)
        // 201 bytes = 0xC9 0x01 as a varint.
        #expect(try encode("1:string:\(long){seq}", sequence: 7) == [0x0A, 0xC9, 0x01] + Array(long.utf8) + [0x37])
        let nested = try encode("2:message { 1:string:\(long){seq} }", sequence: 7)
        // Inner field is 3 + 201 = 204 bytes = 0xCC 0x01.
        #expect(Array(nested.prefix(6)) == [0x12, 0xCC, 0x01, 0x0A, 0xC9, 0x01])
        #expect(nested.count == 3 + 204)
    }

    @Test("VIN placeholders: one VIN per request, its odometer only increases, no VIN shared while in flight")
    func vinPlaceholders() throws {
        var values = TemplateValues(vinCount: 3, seed: 99)
        let template = try BodyTemplate(parsing: "1:string:{vin}\n2:string:{vin}\n3:uint64:{odometer}")
        #expect(template.usesVIN)
        var held: [Int] = []
        var seen: [String: UInt64] = [:]
        for round in 0..<6 {
            let vin = values.beginRequest(sequence: UInt64(round), drawsVIN: true)
            var buffer: [UInt8] = []
            template.encode(into: &buffer, values: &values)
            let first = String(decoding: buffer[2..<19], as: UTF8.self)
            let second = String(decoding: buffer[21..<38], as: UTF8.self)
            #expect(first == second)
            #expect(VIN.isValid(first))
            var odometer: UInt64 = 0
            var shift: UInt64 = 0
            for byte in buffer[39...] {
                odometer |= UInt64(byte & 0x7F) << shift
                shift += 7
            }
            if let previous = seen[first] { #expect(odometer > previous) }
            seen[first] = odometer
            held.append(vin)
            if held.count == 3 {
                #expect(Set(held).count == 3 && !held.contains(-1), "three requests in flight hold three different VINs")
                for vin in held { values.releaseVIN(vin) }
                held.removeAll()
            }
        }
        #expect(seen.count == 3)
    }

    @Test("with the same seed every VIN gets the same readings, whatever the order of use")
    func reproducibleOdometers() throws {
        let template = try BodyTemplate(parsing: "1:string:{vin}\n2:uint64:{odometer}")
        /// Runs `count` requests; VINs listed in `held` are kept (not released) after their
        /// first use, which changes the order in which the others are drawn.
        func readings(count: Int, held: Set<Int>) -> [Int: [UInt64]] {
            var values = TemplateValues(vinCount: 4, seed: 7)
            var byVIN: [Int: [UInt64]] = [:]
            for n in 0..<count {
                let vin = values.beginRequest(sequence: UInt64(n), drawsVIN: true)
                var buffer: [UInt8] = []
                template.encode(into: &buffer, values: &values)
                var reading: UInt64 = 0
                for (i, byte) in buffer[20...].enumerated() { reading |= UInt64(byte & 0x7F) << UInt64(7 * i) }
                byVIN[vin, default: []].append(reading)
                if !held.contains(vin) { values.releaseVIN(vin) }
            }
            return byVIN
        }
        let roundRobin = readings(count: 12, held: [])
        let skewed = readings(count: 12, held: [0])
        #expect(roundRobin[0]!.count == 3 && skewed[0]!.count == 1, "the runs draw VINs in different orders")
        for vin in 0..<4 {
            let a = roundRobin[vin]!, b = skewed[vin]!
            #expect(Array(a.prefix(b.count)) == Array(b.prefix(a.count)), "VIN \(vin): \(a) vs \(b)")
            #expect(a == a.sorted() && Set(a).count == a.count, "readings increase")
        }
    }

    @Test("{uuid} is a version-4 UUID, the same within a request and different across requests")
    func uuids() throws {
        var values = TemplateValues(vinCount: 0, seed: 5)
        let a = try encode("1:string:{uuid}{uuid}", values: &values)
        let b = try encode("1:string:{uuid}{uuid}", values: &values)
        let uuid = String(decoding: a[2..<38], as: UTF8.self)
        #expect(String(decoding: a[38..<74], as: UTF8.self) == uuid)
        #expect(uuid != String(decoding: b[2..<38], as: UTF8.self))
        let parts = uuid.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
    }

    @Test("mistakes are reported with their line and column", arguments: [
        ("1:strin:x", 1, 3, "unknown field kind"),
        ("0:string:x", 1, 1, "field number 0"),
        ("19500:string:x", 1, 1, "field number 19500"),
        ("1:string:x\n2:int32:3000000000", 2, 9, "not a valid int32"),
        ("1:string:{vin", 1, 10, "unterminated placeholder"),
        ("1:string:{nope}", 1, 10, "unknown placeholder"),
        ("1:int64:{uuid}", 1, 9, "numeric placeholder"),
        ("1:message { 2:bool:yes", 1, 20, "bool field"),
        ("1:message { 2:bool:true", 1, 24, "missing '}'"),
        ("1:hex:abc", 1, 7, "hex digits"),
        ("}", 1, 1, "without a message field"),
        ("1:int64:{rand:5:1}", 1, 9, "LOW <= HIGH"),
    ] as [(String, Int, Int, String)])
    func errors(template: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try BodyTemplate(parsing: template)
            Issue.record("'\(template)' should not compile")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
