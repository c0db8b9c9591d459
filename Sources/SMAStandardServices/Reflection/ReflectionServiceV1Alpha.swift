import SMAProtos
import SMARPC

/// `grpc.reflection.v1alpha.ServerReflection`, the pre-standard name many tools still call.
///
/// Its messages are field-for-field identical on the wire to `grpc.reflection.v1`'s (same
/// numbers, same types), so the v1alpha method is served by the v1 implementation with the v1
/// message types: one implementation, two names.
public struct ReflectionServiceV1Alpha: RPCService {
    let v1: ReflectionServiceV1

    public init(index: ReflectionIndex) { v1 = ReflectionServiceV1(index: index) }

    public func registerMethods(with router: inout RPCRouter) {
        let v1 = self.v1
        router.registerBidirectionalStreaming(Grpc_Reflection_V1alpha_ServerReflection.Method.serverReflectionInfo) {
            (request: RPCInbound<Grpc_Reflection_V1_ServerReflectionRequest>,
             response: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>, context: ServerContext) in
            try await v1.serverReflectionInfo(request: request, response: response, context: context)
        }
    }
}
