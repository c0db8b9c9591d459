import SMAProtos
import SMARPC

/// `grpc.reflection.v1alpha.ServerReflection (the pre-standard name many tools still call)`: lets grpcurl and other tools list and describe the
/// services without the .proto files.
public struct ReflectionServiceV1Alpha: Grpc_Reflection_V1alpha_ServerReflectionService {
    let index: ReflectionIndex

    public init(index: ReflectionIndex) { self.index = index }

    public func serverReflectionInfo(
        request: RPCInbound<Grpc_Reflection_V1alpha_ServerReflectionRequest>,
        response: RPCWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await message in request {
            var reply = Grpc_Reflection_V1alpha_ServerReflectionResponse()
            reply.validHost = message.host
            reply.originalRequest = message
            switch index.answer(Self.question(message)) {
            case .files(let files):
                var body = Grpc_Reflection_V1alpha_FileDescriptorResponse()
                body.fileDescriptorProto = files
                reply.messageResponse = .fileDescriptorResponse(body)
            case .services(let names):
                var body = Grpc_Reflection_V1alpha_ListServiceResponse()
                body.service = names.map { var s = Grpc_Reflection_V1alpha_ServiceResponse(); s.name = $0; return s }
                reply.messageResponse = .listServicesResponse(body)
            case .extensionNumbers(let type, let numbers):
                var body = Grpc_Reflection_V1alpha_ExtensionNumberResponse()
                body.baseTypeName = type
                body.extensionNumber = numbers
                reply.messageResponse = .allExtensionNumbersResponse(body)
            case .error(let code, let text):
                var body = Grpc_Reflection_V1alpha_ErrorResponse()
                body.errorCode = code
                body.errorMessage = text
                reply.messageResponse = .errorResponse(body)
            }
            try await response.write(reply)
        }
    }

    static func question(_ message: Grpc_Reflection_V1alpha_ServerReflectionRequest) -> ReflectionIndex.Question {
        switch message.messageRequest {
        case .fileByFilename(let name)?: .fileByFilename(name)
        case .fileContainingSymbol(let symbol)?: .fileContainingSymbol(symbol)
        case .fileContainingExtension(let ext)?: .fileContainingExtension(type: ext.containingType, number: ext.extensionNumber)
        case .allExtensionNumbersOfType(let type)?: .allExtensionNumbersOfType(type)
        case .listServices?: .listServices
        case nil: .none
        }
    }
}
