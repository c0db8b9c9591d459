/// What a load run sends, where, and how hard.
public struct LoadConfiguration: Sendable {
    /// The request message of every call.
    public enum Body: Sendable {
        /// The same serialized message every time.
        case fixed([UInt8])
        /// A different message per request.
        case template(BodyTemplate)
    }

    public var host = "127.0.0.1"
    public var port = 50051
    /// `:path` of the unary method.
    public var path = "/grpc.health.v1.Health/Check"
    /// `:authority`; `host:port` when `nil`.
    public var authority: String?
    public var connections = 4
    /// Calls in flight over all connections (each connection gets its share).
    public var concurrency = 256
    /// Measured requests; `nil` with a ``duration``.
    public var requests: Int? = 10_000
    /// Measured run time in seconds (requests stop being started after it).
    public var durationSeconds: Double?
    /// Requests sent before measuring (not counted).
    public var warmup = 0
    /// Per-call deadline (`grpc-timeout`, also enforced client-side); `nil` for none.
    public var timeoutMilliseconds: Int? = 5_000
    public var metadata: [(name: String, value: String)] = []
    public var body = Body.fixed([])
    /// Size of the VIN pool for templates using `{vin}` / `{odometer}`.
    public var vinCount = 1_000
    public var seed: UInt64 = 1
    /// Added to every `{odometer}` reading.
    public var odometerOffset: UInt64 = 0
    /// The first `{seq}` value.
    public var sequenceStart: UInt64 = 1
    /// Whether responses are deframed and checked (one message per OK call).
    public var checksResponses = true

    public init() {}
}

/// Why a run could not take place (exit code 1 in `sma-load`).
public enum LoadError: Error, Sendable, CustomStringConvertible {
    case connectFailed(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .connectFailed(let reason): reason
        case .invalidConfiguration(let reason): reason
        }
    }
}
