import SMAHTTP2
import SMARPC
import Testing

@Suite("HTTP/2 client against an in-process server", .timeLimit(.minutes(1)))
struct HTTP2ClientConnectionTests {
    @Test("a unary call returns the response message with OK")
    func echo() async throws {
        try await withTestServer { server in
            let message = Array("hello".utf8) + [0, 1, 2, 255]
            let result = try await singleCall(port: server.port, path: "/test.Echo/Echo", message: message,
                                              timeoutNanoseconds: 2_000_000_000, metadata: [("x-tenant", "acme")])
            #expect(result.code == .ok)
            #expect(result.tag == 42)
            #expect(result.response == message)
            #expect(result.latencyNanoseconds > 0)
        }
    }

    @Test("a handler's error arrives with its code and percent-decoded message")
    func failure() async throws {
        try await withTestServer { server in
            let result = try await singleCall(port: server.port, path: "/test.Echo/Fail", message: [])
            #expect(result.code == .notFound)
            #expect(result.message == TestServer.failMessage)
            #expect(result.response == nil)
        }
    }

    @Test("a status message of 100 KB arrives cut to a bounded size, marked as cut")
    func longMessage() async throws {
        try await withTestServer { server in
            let result = try await singleCall(port: server.port, path: "/test.Echo/LongMessage", message: [])
            #expect(result.code == .invalidArgument)
            #expect(result.message.utf8.count < 1100)
            #expect(result.message.hasSuffix("… (100000 bytes, truncated)"))
        }
    }

    @Test("trailers too large to send reset the stream at once: the call does not wait for its deadline")
    func hugeTrailer() async throws {
        try await withTestServer { server in
            let result = try await singleCall(port: server.port, path: "/test.Echo/HugeTrailer", message: [], timeoutNanoseconds: 5_000_000_000)
            #expect(result.code != .ok && result.code != .deadlineExceeded, "got \(result.code)")
            #expect(result.latencyNanoseconds < 2_000_000_000)
            // The connection keeps serving.
            let echo = try await singleCall(port: server.port, path: "/test.Echo/Echo", message: [1, 2, 3])
            #expect(echo.code == .ok)
        }
    }

    @Test("an unknown method is UNIMPLEMENTED (Trailers-Only)")
    func unknownMethod() async throws {
        try await withTestServer { server in
            let result = try await singleCall(port: server.port, path: "/test.Echo/Nope", message: [])
            #expect(result.code == .unimplemented)
            #expect(result.message.contains("/test.Echo/Nope"))
        }
    }

    @Test("a call past its deadline ends with DEADLINE_EXCEEDED")
    func deadline() async throws {
        try await withTestServer { server in
            let result = try await singleCall(port: server.port, path: "/test.Echo/Slow", message: [1], timeoutNanoseconds: 50_000_000)
            #expect(result.code == .deadlineExceeded)
            #expect(result.latencyNanoseconds >= 50_000_000 && result.latencyNanoseconds < 290_000_000)
        }
    }

    @Test("a refused connection fails the call with UNAVAILABLE")
    func refused() async throws {
        let port = try TestServer.freePortNobodyListensOn()
        let result = try await singleCall(port: port, path: "/test.Echo/Echo", message: [])
        #expect(result.code == .unavailable)
        #expect(result.message.contains("cannot connect"))
    }

    @Test("grpc-timeout values use at most 8 digits in the finest unit that fits")
    func timeoutHeader() throws {
        #expect(try GRPCRequestHead(path: "/a/b", authority: "x", timeoutNanoseconds: 5_000_000_000).timeoutNanoseconds == 5_000_000_000)
        #expect(throws: GRPCRequestHead.InvalidHead.self) { try GRPCRequestHead(path: "a/b", authority: "x") }
        #expect(throws: GRPCRequestHead.InvalidHead.self) { try GRPCRequestHead(path: "/a/b", authority: "x", metadata: [("te", "x")]) }
        #expect(throws: GRPCRequestHead.InvalidHead.self) { try GRPCRequestHead(path: "/a/b", authority: "x", metadata: [("X-Up", "x")]) }
    }
}
