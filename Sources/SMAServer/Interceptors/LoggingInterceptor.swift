import SMARPC

/// Logs every call that does not end OK, with its method, peer, code and duration
/// (successful calls are counted by the transport, not logged, to keep the hot path quiet).
public struct LoggingInterceptor: ServerFilter {
    let log: StructuredLog

    public init(log: StructuredLog) { self.log = log }

    public func callStarting(context: ServerContext) throws(RPCError) {}

    public func callEnded(context: ServerContext, error: RPCError?) {
        guard let error else { return }
        let elapsed = ContinuousClock.now - context.startTime
        log.event("rpc_failed", [
            "method": context.method.path, "peer": context.peer, "code": "\(error.code)",
            "message": StatusText.bounded(error.message), "duration_us": String(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000),
        ], level: error.code == .internal || error.code == .unknown ? .warning : .info)
    }
}
