import SMAInteropProtos
import SMAProtos
import SMARPC
import Testing

/// Implements every call kind, so the generated protocol's requirements are checked by the compiler.
private struct FieldKindsEcho: Sma_Testing_V1_FieldKindsServiceService {
    func unary(request: Sma_Testing_V1_FieldKinds, context: ServerContext) async throws -> Sma_Testing_V1_FieldKinds {
        request
    }

    func clientStream(
        request: RPCInbound<Sma_Testing_V1_FieldKinds>, context: ServerContext
    ) async throws -> Sma_Testing_V1_FieldKinds {
        var last = Sma_Testing_V1_FieldKinds()
        for try await message in request { last = message }
        return last
    }

    func serverStream(
        request: Sma_Testing_V1_FieldKinds, response: RPCWriter<Sma_Testing_V1_FieldKinds>, context: ServerContext
    ) async throws {
        try await response.write(request)
    }

    func bidiStream(
        request: RPCInbound<Sma_Testing_V1_FieldKinds>, response: RPCWriter<Sma_Testing_V1_FieldKinds>,
        context: ServerContext
    ) async throws {
        for try await message in request { try await response.write(message) }
    }
}

@Suite("Generated service code")
struct GeneratedServiceTests {
    @Test("registerMethods registers every method under its full name")
    func registersEveryMethod() {
        var router = RPCRouter()
        FieldKindsEcho().registerMethods(with: &router)
        #expect(router.methods == Sma_Testing_V1_FieldKindsService.Method.all)
        #expect(router.methods.map(\.method) == ["Unary", "ClientStream", "ServerStream", "BidiStream"])
        #expect(router.methods.allSatisfy { $0.service == "sma.testing.v1.FieldKindsService" })
    }

    @Test("Method descriptors name the proto service and method")
    func methodDescriptors() {
        #expect(Grpc_Health_V1_Health.serviceName == "grpc.health.v1.Health")
        #expect(Grpc_Health_V1_Health.Method.watch == MethodDescriptor(service: "grpc.health.v1.Health", method: "Watch"))
        #expect(Grpc_Testing_TestService.Method.all.count == 8)
        #expect(Grpc_Reflection_V1_ServerReflection.Method.serverReflectionInfo.method == "ServerReflectionInfo")
    }
}
