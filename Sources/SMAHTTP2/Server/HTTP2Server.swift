import CNGHTTP2
import Glibc
import SMARPC
import Synchronization

/// A gRPC server over HTTP/2 (h2c): a listener and a group of epoll loops running nghttp2.
public final class HTTP2Server: Sendable {
    private let core: HTTP2ServerCore
    private let listener = Mutex<Listener?>(nil)
    private let boundPort = Atomic<Int>(0)

    /// Creates a server; nothing listens until ``start()``.
    public init(configuration: HTTP2ServerConfiguration, rpc: RPCServer, log: StructuredLog = StructuredLog()) {
        core = HTTP2ServerCore(configuration: configuration, rpc: rpc, log: log)
    }

    /// The port actually bound (useful with port 0).
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Counters for health and metrics.
    public var statistics: Statistics {
        Statistics(
            openConnections: core.openConnections.load(ordering: .relaxed),
            acceptedConnections: core.acceptedConnections.load(ordering: .relaxed),
            openStreams: core.openStreams.load(ordering: .relaxed),
            callsByCode: core.callsByCode.withLock { counts in
                var byCode = Dictionary(uniqueKeysWithValues: RPCError.Code.allCases.map { ($0, counts[$0.rawValue]) })
                byCode[.ok, default: 0] += core.okCalls.load(ordering: .relaxed)
                return byCode
            })
    }

    /// Transport counters.
    public struct Statistics: Sendable {
        public var openConnections: Int
        public var acceptedConnections: Int
        public var openStreams: Int
        public var callsByCode: [RPCError.Code: Int]
    }

    /// Binds, starts the loops and begins accepting. Returns the bound port.
    @discardableResult
    public func start() throws(TransportError) -> Int {
        let configuration = core.configuration
        Self.raiseFileLimit()
        let (fd, port) = try Listener.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        boundPort.store(port, ordering: .releasing)
        for loop in core.loops { loop.start() }
        core.startTicks()
        let listener = Listener(fd: fd, core: core)
        self.listener.withLock { $0 = listener }
        let loop = core.loops[0]
        loop.execute { loop.register(fd: listener.fd, handler: listener, events: EPOLLIN.rawValue) }
        core.log.event("server_listening", ["host": configuration.host, "port": String(port), "loops": String(core.loops.count),
                                            "max_concurrent_streams": String(configuration.maxConcurrentStreams),
                                            "max_buffered_bytes": String(core.buffers.limit)])
        return port
    }

    /// Lets the process hold as many sockets as the hard limit allows (10k+ connections).
    private static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Graceful shutdown: stop accepting, GOAWAY twice (notice, then the last accepted stream),
    /// let in-flight calls finish within the grace period, cancel the rest, stop the loops.
    public func shutdown() async {
        guard !core.isShuttingDown else { return }
        core.beginShutdown()
        let grace = core.configuration.shutdownGracePeriodNanoseconds
        core.log.event("server_shutdown_begin", ["open_streams": String(core.openStreams.load(ordering: .relaxed)),
                                                 "grace_ms": String(grace / 1_000_000)])
        if let listener = listener.withLock({ $0 }) {
            core.loops[0].execute { listener.close() }
        }
        core.forEachConnection { $0.beginShutdown() }
        // One round trip for the notice to arrive before the final GOAWAY fixes the last stream.
        try? await Task.sleep(nanoseconds: 100_000_000)
        core.forEachConnection { $0.sendFinalGoAway() }
        let deadline = MonotonicClock.now &+ grace
        while core.openStreams.load(ordering: .relaxed) > 0 && MonotonicClock.now < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        let unfinished = core.openStreams.load(ordering: .relaxed)
        core.forEachConnection { $0.close() }
        let closeDeadline = MonotonicClock.now &+ 1_000_000_000
        while core.openConnections.load(ordering: .relaxed) > 0 && MonotonicClock.now < closeDeadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        core.drainWorkers()
        try? await Task.sleep(nanoseconds: 5_000_000)
        for loop in core.loops { loop.stop() }
        let counts = statistics.callsByCode
        let ok = counts[.ok] ?? 0
        let failed = counts.values.reduce(0, +) - ok
        core.log.event("server_shutdown_complete", ["cancelled_streams": String(unfinished),
                                                    "calls_ok": String(ok), "calls_failed": String(failed)])
    }
}
