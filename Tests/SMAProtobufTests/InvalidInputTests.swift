import SMAInteropProtos
import SMAProtobuf
import SMAProtos
import Testing

/// Bad bytes from the network must throw ``ProtoDecodingError``, never crash.
@Suite("Invalid input")
struct InvalidInputTests {
    @Test("Truncated input is malformed", arguments: [1, 2, 10, 100])
    func truncated(dropping count: Int) throws {
        let bytes = [UInt8](hex: Fixtures.fieldKindsHex).dropLast(count)
        let error = #expect(throws: ProtoDecodingError.self) {
            try Sma_Testing_V1_FieldKinds(serializedBytes: Array(bytes))
        }
        #expect(error?.reason == .malformed)
        #expect(error?.message.contains("sma.testing.v1.FieldKinds") == true)
    }

    @Test("A known field with the wrong wire type is malformed")
    func wrongWireType() throws {
        // Field 1 (`service`, a string) sent as a varint.
        let error = #expect(throws: ProtoDecodingError.self) {
            try Grpc_Health_V1_HealthCheckRequest(serializedBytes: [0x08, 0x01])
        }
        #expect(error?.reason == .malformed)
    }

    @Test("A length running past the end is malformed")
    func badLength() throws {
        #expect(throws: ProtoDecodingError.self) {
            try Grpc_Health_V1_HealthCheckRequest(serializedBytes: [0x0a, 0x7f, 0x61])
        }
    }

    @Test("Invalid UTF-8 in a string field is rejected", arguments: [
        [0x0a, 0x02, 0xff, 0xfe] as [UInt8],  // bytes that never occur in UTF-8
        [0x0a, 0x02, 0xc3, 0x28],  // a broken two-byte sequence
        [0x0a, 0x03, 0xed, 0xa0, 0x80],  // an encoded surrogate
    ])
    func invalidUTF8(_ bytes: [UInt8]) throws {
        let error = #expect(throws: ProtoDecodingError.self) {
            try Grpc_Health_V1_HealthCheckRequest(serializedBytes: bytes)
        }
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.message.contains("service") == true)
    }

    @Test("Invalid UTF-8 inside a repeated string of a nested message is rejected")
    func invalidUTF8Nested() throws {
        // FieldKinds.nested (17) { name (1): 0xff }
        let bytes: [UInt8] = [0x8a, 0x01, 0x03, 0x0a, 0x01, 0xff]
        #expect(throws: ProtoDecodingError.self) { try Sma_Testing_V1_FieldKinds(serializedBytes: bytes) }
    }

    @Test("Random and mutated bytes throw or decode, without crashing")
    func fuzz() {
        var generator = SplitMix64(seed: 0x5EED)
        let valid = [UInt8](hex: Fixtures.fieldKindsHex)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = valid
                for _ in 0..<3 {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            if let message = try? Sma_Testing_V1_FieldKinds(serializedBytes: bytes) {
                // Whatever decoded must encode to bytes that decode again (NaNs rule out ==).
                #expect(throws: Never.self) { try Sma_Testing_V1_FieldKinds(serializedBytes: message.serializedBytes()) }
            }
        }
    }
}

/// A small deterministic generator, so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
