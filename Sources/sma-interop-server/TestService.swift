import SMAInteropProtos
import SMARPC

/// gRPC's interop `grpc.testing.TestService`, as specified in grpc/grpc
/// doc/interop-test-descriptions.md, on SMA's RPC core.
struct TestService: Grpc_Testing_TestServiceService {
    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        echoMetadata(context)
        return Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        echoMetadata(context)
        try checkCompression(expected: request.expectCompressed, context: context)
        try failIfRequested(request.responseStatus)
        if request.responseCompressed?.value == true { context.setResponseCompression(.gzip) }
        var response = Grpc_Testing_SimpleResponse()
        response.payload = try payload(size: request.responseSize)
        return response
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await unaryCall(request: request, context: context)
    }

    func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest,
        response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        try await respond(to: request, with: response, context: context)
        try failIfRequested(request.responseStatus)
    }

    func streamingInputCall(
        request: RPCInbound<Grpc_Testing_StreamingInputCallRequest>,
        context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        echoMetadata(context)
        var total: Int32 = 0
        for try await message in request {
            try checkCompression(expected: message.expectCompressed, context: context)
            total += Int32(message.payload?.body.count ?? 0)
        }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = total
        return response
    }

    func fullDuplexCall(
        request: RPCInbound<Grpc_Testing_StreamingOutputCallRequest>,
        response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        for try await message in request {
            try failIfRequested(message.responseStatus)
            try await respond(to: message, with: response, context: context)
        }
    }

    func halfDuplexCall(
        request: RPCInbound<Grpc_Testing_StreamingOutputCallRequest>,
        response: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        echoMetadata(context)
        var buffered: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await message in request { buffered.append(message) }
        for message in buffered {
            try failIfRequested(message.responseStatus)
            try await respond(to: message, with: response, context: context)
        }
    }

    func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "grpc.testing.TestService/UnimplementedCall is not implemented, by design")
    }

    // MARK: Helpers

    private func respond(
        to request: Grpc_Testing_StreamingOutputCallRequest,
        with writer: RPCWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 {
                try await Task.sleep(nanoseconds: UInt64(parameters.intervalUs) * 1000)
            }
            if parameters.compressed?.value == true { context.setResponseCompression(.gzip) }
            var message = Grpc_Testing_StreamingOutputCallResponse()
            message.payload = try payload(size: parameters.size)
            try await writer.write(message)
        }
    }

    private func payload(size: Int32) throws -> Grpc_Testing_Payload {
        guard size >= 0 else {
            throw RPCError(code: .invalidArgument, message: "response_size must be >= 0, got \(size)")
        }
        var payload = Grpc_Testing_Payload()
        payload.type = .compressable
        payload.body = [UInt8](repeating: 0, count: Int(size))
        return payload
    }

    private func failIfRequested(_ status: Grpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        let code = RPCError.Code(rawValue: Int(status.code)) ?? .unknown
        throw RPCError(code: code, message: status.message)
    }

    private func checkCompression(expected: Grpc_Testing_BoolValue?, context: ServerContext) throws {
        if expected?.value == true && context.requestCompression == nil {
            throw RPCError(code: .invalidArgument, message: "Expected a compressed request (grpc-encoding gzip), got identity")
        }
    }

    /// Echoes `x-grpc-test-echo-initial` in the response headers and
    /// `x-grpc-test-echo-trailing-bin` in the trailers.
    private func echoMetadata(_ context: ServerContext) {
        let metadata = context.requestMetadata
        for value in metadata[stringValues: "x-grpc-test-echo-initial"] {
            context.addResponseHeader("x-grpc-test-echo-initial", .string(value))
        }
        for value in metadata[binaryValues: "x-grpc-test-echo-trailing-bin"] {
            context.addResponseTrailer("x-grpc-test-echo-trailing-bin", .binary(value))
        }
    }
}
