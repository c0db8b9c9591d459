import SMARPC

/// Logs every call that does not end OK, with its method, peer, code and duration
/// (successful calls are counted, not logged, to keep the hot path quiet).
public struct LoggingInterceptor: ServerInterceptor {
    let log: StructuredLog

    public init(log: StructuredLog) { self.log = log }

    public func intercept(
        context: ServerContext,
        next: (ServerContext) async throws -> InterceptedResponse
    ) async throws -> InterceptedResponse {
        let start = ContinuousClock.now
        do {
            return try await next(context)
        } catch {
            var rpcError = RPCError(converting: error)
            if rpcError.code == .cancelled, let deadline = context.deadline, deadline <= .now {
                rpcError = RPCError(code: .deadlineExceeded, message: "Deadline exceeded")
            }
            let elapsed = ContinuousClock.now - start
            log.event("rpc_failed", [
                "method": context.method.path, "peer": context.peer, "code": "\(rpcError.code)",
                "message": rpcError.message, "duration_us": String(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000),
            ], level: rpcError.code == .internal || rpcError.code == .unknown ? .warning : .info)
            throw rpcError
        }
    }
}
