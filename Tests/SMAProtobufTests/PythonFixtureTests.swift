import SMAInteropProtos
import SMAProtobuf
import SMAProtos
import Testing

/// The bridge agrees byte for byte with Python's protobuf, in both directions.
@Suite("Wire compatibility with Python protobuf")
struct PythonFixtureTests {
    @Test("HealthCheckRequest decodes from and encodes to Python's bytes")
    func healthRequest() throws {
        let decoded = try Grpc_Health_V1_HealthCheckRequest(serializedBytes: [UInt8](hex: Fixtures.healthRequest))
        #expect(decoded.service == "grpc.health.v1.Health")
        #expect(decoded.serializedBytes().hex == Fixtures.healthRequest)
    }

    @Test("HealthCheckResponse status decodes to the declared case")
    func healthResponse() throws {
        let decoded = try Grpc_Health_V1_HealthCheckResponse(serializedBytes: [UInt8](hex: Fixtures.healthResponse))
        #expect(decoded.status == .serving)
        #expect(decoded.serializedBytes().hex == Fixtures.healthResponse)
    }

    @Test("SimpleRequest with nested messages, bytes and non-ASCII text matches Python")
    func simpleRequest() throws {
        let decoded = try Grpc_Testing_SimpleRequest(serializedBytes: [UInt8](hex: Fixtures.simpleRequestHex))
        #expect(decoded == Fixtures.simpleRequest)
        #expect(Fixtures.simpleRequest.serializedBytes().hex == Fixtures.simpleRequestHex)
    }

    @Test("Every field kind decodes from Python's bytes")
    func fieldKindsDecode() throws {
        let decoded = try Sma_Testing_V1_FieldKinds(serializedBytes: [UInt8](hex: Fixtures.fieldKindsHex))
        #expect(decoded == Fixtures.fieldKinds)
    }

    @Test("Every field kind encodes to Python's bytes (single-entry maps keep the order fixed)")
    func fieldKindsEncode() {
        #expect(Fixtures.fieldKinds.serializedBytes().hex == Fixtures.fieldKindsHex)
    }
}
