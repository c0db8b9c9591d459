import SMARPC

/// Logs calls that do not end OK, with method, peer, code, message and duration (successful
/// calls are counted by the transport, not logged, to keep the hot path quiet).
///
/// A client that keeps failing — a loop on an unknown id, a bad deployment — would otherwise
/// write one line per call: 150,000 lines (37 MB) in 4 s were measured. Lines therefore pass a
/// token bucket (`burst` lines, refilled at `perSecond`); the calls it holds back are counted and
/// the next line written carries that count as `suppressed`.
public struct LoggingInterceptor: ServerFilter {
    let log: StructuredLog
    let limiter: LogRateLimiter

    public init(log: StructuredLog, burst: Int = 200, perSecond: Int = 50) {
        self.log = log
        self.limiter = LogRateLimiter(burst: burst, perSecond: perSecond)
    }

    public func callStarting(context: ServerContext) throws(RPCError) {}

    public func callEnded(context: ServerContext, error: RPCError?) {
        guard let error else { return }
        let level: StructuredLog.Level = error.code == .internal || error.code == .unknown ? .warning : .info
        guard level >= log.minimumLevel, let suppressed = limiter.admit() else { return }
        let elapsed = context.elapsed
        var fields = [
            "method": context.method.path, "peer": context.peer, "code": "\(error.code)",
            "message": StatusText.bounded(error.message), "duration_us": String(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000),
        ]
        if suppressed > 0 { fields["suppressed"] = String(suppressed) }
        log.event("rpc_failed", fields, level: level)
    }
}
