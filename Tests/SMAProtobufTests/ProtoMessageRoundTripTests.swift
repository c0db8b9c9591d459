import SMAInteropProtos
import SMAProtobuf
import SMAProtos
import Testing

@Suite("Encode/decode round trips")
struct ProtoMessageRoundTripTests {
    @Test("A default message encodes to no bytes and decodes from none")
    func emptyMessage() throws {
        #expect(Sma_Testing_V1_FieldKinds().serializedBytes().isEmpty)
        #expect(try Sma_Testing_V1_FieldKinds(serializedBytes: [UInt8]()) == Sma_Testing_V1_FieldKinds())
        #expect(try Grpc_Testing_Empty(serializedBytes: [UInt8]()) == Grpc_Testing_Empty())
    }

    @Test("Every field kind survives a round trip")
    func everyFieldKind() throws {
        let bytes = Fixtures.fieldKinds.serializedBytes()
        #expect(try Sma_Testing_V1_FieldKinds(serializedBytes: bytes) == Fixtures.fieldKinds)
    }

    @Test("Maps with many entries survive a round trip")
    func maps() throws {
        var message = Sma_Testing_V1_FieldKinds()
        for i in 0..<50 {
            message.labels["key\(i)"] = "value \(i)"
            message.nestedById[Int32(i) - 25] = .with { $0.name = "n\(i)" }
            message.colorsById[UInt64(i) * 1_000_000_007] = .init(rawValue: Int32(i % 5))
        }
        message.bytesByFlag = [true: [1], false: []]
        let decoded = try Sma_Testing_V1_FieldKinds(serializedBytes: message.serializedBytes())
        #expect(decoded == message)
    }

    @Test("Presence: optional and oneof fields set to zero values stay set; unset ones stay nil")
    func presence() throws {
        let zeros = Sma_Testing_V1_FieldKinds.with {
            $0.optionalInt32 = 0
            $0.optionalBool = false
            $0.choice = .choiceInt(0)
        }
        let decoded = try Sma_Testing_V1_FieldKinds(serializedBytes: zeros.serializedBytes())
        #expect(decoded.optionalInt32 == 0)
        #expect(decoded.optionalBool == false)
        #expect(decoded.optionalString == nil)
        #expect(decoded.optionalNested == nil)
        #expect(decoded.choice == .choiceInt(0))
        #expect(decoded.nested == nil)
    }

    @Test("Each oneof member round-trips", arguments: [
        Sma_Testing_V1_FieldKinds.OneOf_Choice.choiceInt(-5),
        .choiceString("x"),
        .choiceNested(.with { $0.name = "inner" }),
        .choiceBytes([9, 0, 9]),
        .choiceSelf(.with { $0.child = .with { $0.stringValue = "deep" } }),
    ])
    func oneofMember(_ choice: Sma_Testing_V1_FieldKinds.OneOf_Choice) throws {
        let message = Sma_Testing_V1_FieldKinds.with { $0.choice = choice }
        #expect(try Sma_Testing_V1_FieldKinds(serializedBytes: message.serializedBytes()).choice == choice)
    }

    @Test("Unknown enum values are preserved through decode and encode")
    func unknownEnumValue() throws {
        let bytes = [UInt8](hex: Fixtures.healthResponseUnknownStatus)
        let decoded = try Grpc_Health_V1_HealthCheckResponse(serializedBytes: bytes)
        #expect(decoded.status == .unrecognized(7))
        #expect(decoded.status.rawValue == 7)
        #expect(decoded.serializedBytes() == bytes)
    }

    @Test("serialize(appendingTo:) keeps the bytes already in the buffer")
    func appending() throws {
        var buffer: [UInt8] = [0, 0, 0, 0, 0]
        Fixtures.simpleRequest.serialize(appendingTo: &buffer)
        #expect(buffer.prefix(5) == [0, 0, 0, 0, 0])
        #expect(Array(buffer.dropFirst(5)) == Fixtures.simpleRequest.serializedBytes())
        let decoded = try buffer.withUnsafeBytes {
            try Grpc_Testing_SimpleRequest(serializedBytes: UnsafeRawBufferPointer(rebasing: $0.dropFirst(5)))
        }
        #expect(decoded == Fixtures.simpleRequest)
    }

    @Test("Large payloads (beyond the arena's stack slab) round-trip")
    func largePayload() throws {
        let body = (0..<271_828).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = Grpc_Testing_SimpleResponse.with {
            $0.payload = .with { $0.body = body }
            $0.username = String(repeating: "u", count: 5000)
        }
        #expect(try Grpc_Testing_SimpleResponse(serializedBytes: response.serializedBytes()) == response)
    }

    @Test("Unknown fields are skipped")
    func unknownFields() throws {
        // Field 99 (varint 1) before field 1 (string "a").
        let bytes: [UInt8] = [0x98, 0x06, 0x01, 0x0a, 0x01, 0x61]
        #expect(try Grpc_Health_V1_HealthCheckRequest(serializedBytes: bytes).service == "a")
    }
}
