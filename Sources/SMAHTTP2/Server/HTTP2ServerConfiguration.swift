/// Tunables of the HTTP/2 transport.
public struct HTTP2ServerConfiguration: Sendable {
    /// Address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port = 50051
    /// Number of event-loop threads; defaults to the CPUs this process may use (``CPUBudget``:
    /// its CPU affinity, capped by a cgroup CPU quota).
    public var loopCount = CPUBudget.available()
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` advertised to each client.
    public var maxConcurrentStreams: UInt32 = 1000
    /// Largest request message accepted (after decompression), in bytes.
    public var maxReceiveMessageSize = 4 * 1024 * 1024
    /// Bytes of unfinished requests and unread responses all connections may hold together
    /// (``BufferBudget``); nil: a quarter of the memory limit, between 64 MiB and 1 GiB.
    public var maxBufferedBytes: Int?
    /// Per-stream initial flow-control window advertised to clients.
    public var initialWindowSize: Int32 = 1 << 20
    /// Connection-level receive window.
    public var connectionWindowSize: Int32 = 16 << 20
    /// Bytes a response stream may queue before its writer suspends.
    public var streamWriteHighWater = 256 * 1024
    /// How long in-flight calls may run after shutdown begins.
    public var shutdownGracePeriodNanoseconds: UInt64 = 10_000_000_000
    /// Minimum interval between client pings without data (gRPC's min_recv_ping_interval).
    public var minPingIntervalNanoseconds: UInt64 = 300_000_000_000
    /// Whether pings are allowed while no call is active (gRPC's permit_without_calls).
    public var permitPingsWithoutCalls = false
    /// Ping strikes tolerated before GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
    public var maxPingStrikes = 2
    /// Server keepalive: ping an idle connection this often (0 disables).
    public var keepaliveIntervalNanoseconds: UInt64 = 7_200_000_000_000
    /// A connection whose client has not completed the HTTP/2 handshake (preface and SETTINGS)
    /// within this time is closed: idle or trickling sockets cannot hold descriptors forever (0: no limit).
    public var handshakeTimeoutNanoseconds: UInt64 = 20_000_000_000
    /// Server keepalive: close when a ping is not acknowledged within this time.
    public var keepaliveTimeoutNanoseconds: UInt64 = 20_000_000_000
    /// Rapid-reset guard (CVE-2023-44487): client stream resets allowed in a burst, and refilled
    /// per second; beyond them nghttp2 ends the connection with GOAWAY. The burst lets a client
    /// cancel every stream it may have open (`maxConcurrentStreams`) at once a few times in a row
    /// (e.g. dropping and re-opening its subscriptions); a flood of open-and-reset streams still
    /// meets the limit within milliseconds.
    public var streamResetBurst: UInt64 = 4000
    public var streamResetRatePerSecond: UInt64 = 100
    /// Listen backlog.
    public var backlog: Int32 = 4096

    public init() {}
}

import CNGHTTP2
