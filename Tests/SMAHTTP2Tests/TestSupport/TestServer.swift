import SMAHTTP2
import SMARPC
import Synchronization

/// An in-process SMA server on a free port with a few test methods:
/// `/test.Echo/Echo` (echoes the request), `/test.Echo/Fail` (NOT_FOUND with a message that
/// needs percent-encoding), `/test.Echo/Slow` (answers after 300 ms) and `/test.Echo/Track`
/// (answers after 2 ms and records how many calls ran at once), `/test.Echo/LongMessage` (a
/// status message of 100 KB) and `/test.Echo/HugeTrailer` (a trailer of 100 KB, more than an
/// HTTP/2 header block can carry).
struct TestServer {
    static let failMessage = "no vehicle 100% ünknown"
    let server: HTTP2Server
    let port: Int
    let concurrency: ConcurrencyProbe

    /// Counts concurrent calls of `/test.Echo/Track`.
    final class ConcurrencyProbe: Sendable {
        private let state = Mutex((current: 0, peak: 0))
        var peak: Int { state.withLock { $0.peak } }
        func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
    }

    static func start(maxConcurrentStreams: UInt32 = 1000) throws -> TestServer {
        let probe = ConcurrencyProbe()
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "Track")) { (request: RawMessage, _) -> RawMessage in
            probe.enter()
            defer { probe.leave() }
            try await Task.sleep(nanoseconds: 2_000_000)
            return request
        }
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "Echo")) { (request: RawMessage, _) in request }
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "Fail")) { (_: RawMessage, _) -> RawMessage in
            throw RPCError(code: .notFound, message: failMessage)
        }
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "LongMessage")) { (_: RawMessage, _) -> RawMessage in
            throw RPCError(code: .invalidArgument, message: String(repeating: "x", count: 100_000))
        }
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "HugeTrailer")) { (_: RawMessage, _) -> RawMessage in
            var trailers = Metadata()
            trailers.add("x-huge", String(repeating: "y", count: 100_000))
            throw RPCError(code: .invalidArgument, message: "with a huge trailer", metadata: trailers)
        }
        router.registerUnary(MethodDescriptor(service: "test.Echo", method: "Slow")) { (request: RawMessage, _) -> RawMessage in
            try await Task.sleep(nanoseconds: 300_000_000)
            return request
        }
        var configuration = HTTP2ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loopCount = 1
        configuration.maxConcurrentStreams = maxConcurrentStreams
        configuration.shutdownGracePeriodNanoseconds = 1_000_000_000
        let server = HTTP2Server(configuration: configuration, rpc: RPCServer(router: router), log: StructuredLog(minimumLevel: .error))
        let port = try server.start()
        return TestServer(server: server, port: port, concurrency: probe)
    }

    /// A load configuration aimed at this server.
    func load(path: String, requests: Int) -> LoadConfiguration {
        var configuration = LoadConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.path = path
        configuration.requests = requests
        configuration.connections = 2
        configuration.concurrency = 32
        return configuration
    }
}

/// Runs `body` against a fresh ``TestServer`` and shuts the server down afterwards, also
/// when `body` throws.
func withTestServer<R>(maxConcurrentStreams: UInt32 = 1000, _ body: (TestServer) async throws -> R) async throws -> R {
    let server = try TestServer.start(maxConcurrentStreams: maxConcurrentStreams)
    do {
        let result = try await body(server)
        await server.server.shutdown()
        return result
    } catch {
        await server.server.shutdown()
        throw error
    }
}
