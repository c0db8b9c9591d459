import SMAProtos
import SMARPC

/// `grpc.health.v1.Health`: Check answers from the status board (unknown service →
/// NOT_FOUND); Watch streams every change until the client leaves.
public struct HealthService: Grpc_Health_V1_HealthService {
    public let board: HealthStatusBoard

    public init(board: HealthStatusBoard) { self.board = board }

    /// Registers Check as synchronous (it answers from the board, so the transport can run it
    /// inline on its event loop) and Watch as a server stream.
    public func registerMethods(with router: inout RPCRouter) {
        router.registerSynchronousUnary(Grpc_Health_V1_Health.Method.check) {
            [self] (request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) throws -> Grpc_Health_V1_HealthCheckResponse in
            try self.checkNow(request: request, context: context)
        }
        router.registerServerStreaming(Grpc_Health_V1_Health.Method.watch) {
            [self] (request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>, context: ServerContext) in
            try await self.watch(request: request, response: response, context: context)
        }
    }

    public func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        try checkNow(request: request, context: context)
    }

    func checkNow(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) throws(RPCError) -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = board.status(of: request.service) else {
            throw RPCError(code: .notFound, message: "Unknown service '\(request.service)': no health status is registered for it")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = status
        return response
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        for await status in board.watch(request.service) {
            var message = Grpc_Health_V1_HealthCheckResponse()
            message.status = status
            try await response.write(message)
        }
        try Task.checkCancellation()
    }
}
