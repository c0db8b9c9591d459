import SMAInteropProtos
import SMAProtobuf
import SMAProtos
import Testing

@Suite("Generated reflection data")
struct ReflectionDataTests {
    @Test("Each file holds a FileDescriptorProto whose name field is the file name")
    func fileDescriptors() throws {
        for (name, bytes) in SMAProtosDescriptors.files.merging(SMAInteropProtosDescriptors.files, uniquingKeysWith: { a, _ in a }) {
            // Field 1 (name), wire type 2: 0x0a, a one-byte length, the UTF-8 name.
            let utf8 = Array(name.utf8)
            try #require(bytes.count > utf8.count + 2)
            #expect(bytes[0] == 0x0a)
            #expect(Int(bytes[1]) == utf8.count)
            #expect(Array(bytes[2..<(2 + utf8.count)]) == utf8)
        }
    }

    @Test("Symbols map to the files that declare them, imports included")
    func symbols() {
        let main = SMAProtosDescriptors.symbols
        #expect(main["grpc.health.v1.Health"] == "grpc/health/v1/health.proto")
        #expect(main["grpc.health.v1.Health.Check"] == "grpc/health/v1/health.proto")
        #expect(main["grpc.health.v1.HealthCheckResponse.ServingStatus"] == "grpc/health/v1/health.proto")
        #expect(main["grpc.reflection.v1alpha.ServerReflection"] == "grpc/reflection/v1alpha/reflection.proto")
        let interop = SMAInteropProtosDescriptors.symbols
        #expect(interop["grpc.testing.Empty"] == "grpc/testing/empty.proto")
        #expect(interop["google.protobuf.Timestamp"] == "google/protobuf/timestamp.proto")
        #expect(interop["sma.testing.v1.FieldKinds.Nested"] == "sma/testing/v1/field_kinds.proto")
        #expect(SMAInteropProtosDescriptors.files["google/protobuf/timestamp.proto"] != nil)
        for file in Set(main.values) { #expect(SMAProtosDescriptors.files[file] != nil) }
        for file in Set(interop.values) { #expect(SMAInteropProtosDescriptors.files[file] != nil) }
    }

    @Test("Services lists the services of the target's own protos")
    func services() {
        #expect(SMAProtosDescriptors.services.contains("grpc.health.v1.Health"))
        #expect(SMAProtosDescriptors.services.contains("grpc.reflection.v1.ServerReflection"))
        #expect(SMAInteropProtosDescriptors.services.contains("grpc.testing.TestService"))
        #expect(!SMAProtosDescriptors.services.contains("grpc.testing.TestService"))
    }

    @Test("Base64 decoding matches known vectors", arguments: [
        ("", [] as [UInt8]), ("Zg==", [0x66]), ("Zm8=", [0x66, 0x6f]), ("Zm9v", [0x66, 0x6f, 0x6f]), ("+/8=", [0xfb, 0xff]),
    ])
    func base64(_ text: String, _ expected: [UInt8]) {
        #expect(ProtoBase64.decode(text) == expected)
    }
}
