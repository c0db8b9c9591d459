/// Tunables of a client connection (``HTTP2ClientConnection``).
public struct HTTP2ClientConfiguration: Sendable {
    /// How long the TCP connect may take before the connection fails.
    public var connectTimeoutNanoseconds: UInt64 = 5_000_000_000
    /// Per-stream receive window advertised to the server (response bodies).
    public var initialWindowSize: Int32 = 1 << 20
    /// Connection-level receive window.
    public var connectionWindowSize: Int32 = 16 << 20
    /// Largest response message accepted, in bytes.
    public var maxResponseMessageSize = 4 * 1024 * 1024
    /// Whether responses are deframed and handed to the caller. When `false` only the status
    /// counts and DATA is discarded (saves one allocation per call under load).
    public var collectsResponses = true
    /// How often in-flight calls are checked against their client-side deadline.
    public var deadlineSweepNanoseconds: UInt64 = 5_000_000

    public init() {}
}
