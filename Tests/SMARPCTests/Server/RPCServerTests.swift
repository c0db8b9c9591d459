@testable import SMARPC
import Synchronization
import Testing

/// Records what the RPC core sends, in place of a transport.
final class RecordingSink: ServerCallSink {
    struct Finished: Sendable { var framed: [UInt8]?; var status: Status; var trailers: Metadata; var headers: Metadata }
    let messages = Mutex<[[UInt8]]>([])
    let finished = Mutex<Finished?>(nil)

    func sendMessage(_ framed: [UInt8], headers: Metadata) async throws(RPCError) {
        messages.withLock { $0.append(framed) }
    }

    func finish(headers: Metadata, framed: [UInt8]?, status: Status, trailers: Metadata) {
        finished.withLock { $0 = Finished(framed: framed, status: status, trailers: trailers, headers: headers) }
    }

    func execute(_ body: @escaping @Sendable () -> Void) { body() }
}

struct DomainError: RPCErrorConvertible {
    var rpcError: RPCError { RPCError(code: .failedPrecondition, message: "odometer went backwards") }
}

struct RejectAll: ServerInterceptor {
    func intercept(context: ServerContext, next: (ServerContext) async throws -> InterceptedResponse) async throws -> InterceptedResponse {
        throw RPCError(code: .unauthenticated, message: "no token")
    }
}

/// Records the filter hooks it sees, in order, in a shared journal.
struct JournalFilter: ServerFilter {
    let name: String
    let journal: Journal
    var refuse = false

    func callStarting(context: ServerContext) throws(RPCError) {
        journal.entries.withLock { $0.append("\(name).start") }
        if refuse { throw RPCError(code: .permissionDenied, message: "\(name) says no") }
    }

    func callEnded(context: ServerContext, error: RPCError?) {
        journal.entries.withLock { $0.append("\(name).end(\(error.map { "\($0.code)" } ?? "ok"))") }
    }
}

final class Journal: Sendable {
    let entries = Mutex<[String]>([])
}

@Suite("Running calls")
struct RPCServerTests {
    private func context(_ method: MethodDescriptor) -> ServerContext {
        ServerContext(method: method, peer: "test", deadline: nil, rawHeaders: RawHeaderBlock(),
                      requestCompression: nil, responseCompression: nil)
    }

    private func run(_ router: RPCRouter, path: String, request: [UInt8], filters: [any ServerFilter] = [],
                     interceptors: [any ServerInterceptor] = [], deadline: ContinuousClock.Instant? = nil) async throws -> RecordingSink.Finished {
        let method = try #require(router.lookup(path: path))
        let sink = RecordingSink()
        let context = ServerContext(method: method.descriptor, peer: "test", deadline: deadline, rawHeaders: RawHeaderBlock(),
                                    requestCompression: nil, responseCompression: nil)
        let call = ServerCall(context: context, request: .single(request), sink: sink)
        await RPCServer(router: router, filters: filters, interceptors: interceptors).run(method, call)
        return try #require(sink.finished.withLock { $0 })
    }

    @Test("a unary reply is framed and ends OK with the handler's trailers")
    func unaryOK() async throws {
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Echo")) { (request: RawMessage, context) in
            context.addResponseTrailer("x-served-by", "test")
            return request
        }
        let result = try await run(router, path: "/s/Echo", request: [7, 8])
        #expect(result.status == .ok)
        #expect(result.framed == [0, 0, 0, 0, 2, 7, 8])
        #expect(result.trailers.first("x-served-by") == "test")
    }

    @Test("errors map to status in one place", arguments: [
        (0, RPCError.Code.failedPrecondition), (1, .unknown), (2, .notFound), (3, .cancelled),
    ])
    func errors(kind: Int, expected: RPCError.Code) async throws {
        struct Opaque: Error {}
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Fail")) { (_: RawMessage, _) -> RawMessage in
            switch kind {
            case 0: throw DomainError()
            case 1: throw Opaque()
            case 2: throw RPCError(code: .notFound, message: "no such VIN")
            default: throw CancellationError()
            }
        }
        let result = try await run(router, path: "/s/Fail", request: [])
        #expect(result.status.code == expected)
        #expect(result.framed == nil)
    }

    @Test("an unparsable request is INTERNAL and never reaches the handler")
    func unparsable() async throws {
        let reached = Mutex(false)
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Echo")) { (request: RawMessage, _) in
            reached.withLock { $0 = true }
            return request
        }
        let result = try await run(router, path: "/s/Echo", request: [0xFF])
        #expect(result.status.code == .internal)
        #expect(!reached.withLock { $0 })
    }

    @Test("an interceptor can refuse a call before the handler runs")
    func interceptorRefuses() async throws {
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Echo")) { (request: RawMessage, _) in request }
        let result = try await run(router, path: "/s/Echo", request: [1], interceptors: [RejectAll()])
        #expect(result.status.code == .unauthenticated)
        #expect(result.status.message == "no token")
    }

    @Test("filters see each call before and after, in order, around the interceptors")
    func filtersWrapCalls() async throws {
        let journal = Journal()
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Echo")) { (request: RawMessage, _) in
            journal.entries.withLock { $0.append("handler") }
            return request
        }
        let filters: [any ServerFilter] = [JournalFilter(name: "a", journal: journal), JournalFilter(name: "b", journal: journal)]
        let ok = try await run(router, path: "/s/Echo", request: [1], filters: filters)
        #expect(ok.status == .ok)
        #expect(journal.entries.withLock { $0 } == ["a.start", "b.start", "handler", "b.end(ok)", "a.end(ok)"])

        journal.entries.withLock { $0.removeAll() }
        let refused = try await run(router, path: "/s/Echo", request: [1], filters: [
            JournalFilter(name: "a", journal: journal), JournalFilter(name: "b", journal: journal, refuse: true),
            JournalFilter(name: "c", journal: journal),
        ], interceptors: [RejectAll()])
        #expect(refused.status.code == .permissionDenied)
        #expect(refused.status.message == "b says no")
        #expect(journal.entries.withLock { $0 } == ["a.start", "b.start", "b.end(PERMISSION_DENIED)", "a.end(PERMISSION_DENIED)"])
    }

    @Test("a handler cancelled after its deadline passed ends DEADLINE_EXCEEDED, and filters see that")
    func cancelledPastDeadline() async throws {
        let journal = Journal()
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "s", method: "Slow")) { (_: RawMessage, _) -> RawMessage in
            throw RPCError(code: .cancelled, message: "cancelled")
        }
        let past = try await run(router, path: "/s/Slow", request: [1], filters: [JournalFilter(name: "a", journal: journal)],
                                 deadline: .now - .milliseconds(1))
        #expect(past.status.code == .deadlineExceeded)
        #expect(journal.entries.withLock { $0 } == ["a.start", "a.end(DEADLINE_EXCEEDED)"])
        let future = try await run(router, path: "/s/Slow", request: [1], deadline: .now + .seconds(60))
        #expect(future.status.code == .cancelled)
    }

    @Test("a synchronous unary handler runs inline with filters, status mapping and deadline")
    func synchronousUnaryRunsInline() throws {
        let journal = Journal()
        var router = RPCRouter()
        router.registerSynchronousUnary(MethodDescriptor(service: "s", method: "Now")) { (request: RawMessage, context) throws -> RawMessage in
            journal.entries.withLock { $0.append("handler") }
            if request.bytes == [0] { throw RPCError(code: .notFound, message: "no such thing") }
            context.addResponseTrailer("x-inline", "yes")
            return request
        }
        let method = try #require(router.lookup(path: "/s/Now"))
        let server = RPCServer(router: router, filters: [JournalFilter(name: "a", journal: journal)])
        #expect(server.runsInline(method))
        #expect(!RPCServer(router: router, interceptors: [RejectAll()]).runsInline(method))

        func call(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws -> RecordingSink.Finished {
            let sink = RecordingSink()
            let context = ServerContext(method: method.descriptor, peer: "test", deadline: deadline, rawHeaders: RawHeaderBlock(),
                                        requestCompression: nil, responseCompression: nil)
            server.runInline(method, ServerCall(context: context, request: .single(bytes), sink: sink))
            return try #require(sink.finished.withLock { $0 })
        }
        let ok = try call([7])
        #expect(ok.status == .ok && ok.framed == [0, 0, 0, 0, 1, 7] && ok.trailers.first("x-inline") == "yes")
        #expect(try call([0]).status.code == .notFound)
        #expect(try call([7], deadline: .now - .milliseconds(1)).status.code == .deadlineExceeded)
        #expect(journal.entries.withLock { $0 } == [
            "a.start", "handler", "a.end(ok)", "a.start", "handler", "a.end(NOT_FOUND)", "a.start", "a.end(DEADLINE_EXCEEDED)",
        ])
    }

    @Test("a synchronous handler also runs on the async path when interceptors are installed")
    func synchronousUnaryThroughInterceptors() async throws {
        var router = RPCRouter()
        router.registerSynchronousUnary(MethodDescriptor(service: "s", method: "Now")) { (request: RawMessage, _) throws -> RawMessage in request }
        let passed = try await run(router, path: "/s/Now", request: [3])
        #expect(passed.framed == [0, 0, 0, 0, 1, 3])
        let refused = try await run(router, path: "/s/Now", request: [3], interceptors: [RejectAll()])
        #expect(refused.status.code == .unauthenticated)
    }

    @Test("a deferred unary handler starts inline and ends the call when it answers, from any thread")
    func deferredUnary() async throws {
        let journal = Journal()
        let pending = Mutex<[@Sendable (Result<RawMessage, any Error>) -> Void]>([])
        var router = RPCRouter()
        router.registerDeferredUnary(MethodDescriptor(service: "s", method: "Later")) { (request: RawMessage, context: ServerContext, respond: @escaping @Sendable (Result<RawMessage, any Error>) -> Void) in
            journal.entries.withLock { $0.append("handler") }
            if request.bytes == [0] { return respond(.failure(DomainError())) }  // answered at once
            context.addResponseTrailer("x-deferred", "yes")
            pending.withLock { $0.append(respond) }
        }
        let method = try #require(router.lookup(path: "/s/Later"))
        let server = RPCServer(router: router, filters: [JournalFilter(name: "a", journal: journal)])
        #expect(server.runsDeferred(method) && !server.runsInline(method))
        #expect(!RPCServer(router: router, interceptors: [RejectAll()]).runsDeferred(method))

        func start(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) -> RecordingSink {
            let sink = RecordingSink()
            let context = ServerContext(method: method.descriptor, peer: "test", deadline: deadline, rawHeaders: RawHeaderBlock(),
                                        requestCompression: nil, responseCompression: nil)
            server.runDeferred(method, ServerCall(context: context, request: .single(bytes), sink: sink))
            return sink
        }
        let later = start([7])
        #expect(later.finished.withLock { $0 } == nil)  // still waiting for its answer
        #expect(journal.entries.withLock { $0 } == ["a.start", "handler"])
        let respond = try #require(pending.withLock { $0.first })
        await Task.detached { respond(.success(RawMessage(bytes: [7, 7]))) }.value  // from another thread
        let ok = try #require(later.finished.withLock { $0 })
        #expect(ok.status == .ok && ok.framed == [0, 0, 0, 0, 2, 7, 7] && ok.trailers.first("x-deferred") == "yes")
        #expect(try #require(start([0]).finished.withLock { $0 }).status.code == .failedPrecondition)
        #expect(try #require(start([7], deadline: .now - .milliseconds(1)).finished.withLock { $0 }).status.code == .deadlineExceeded)
        let garbage = try #require(start([0xFF]).finished.withLock { $0 })  // not a message at all
        #expect(garbage.status.code == .internal)
        #expect(journal.entries.withLock { $0 } == [
            "a.start", "handler", "a.end(ok)", "a.start", "handler", "a.end(FAILED_PRECONDITION)",
            "a.start", "a.end(DEADLINE_EXCEEDED)", "a.start", "a.end(INTERNAL)",
        ])
        // With an interceptor installed the same handler runs on the async path.
        let passed = try await run(router, path: "/s/Later", request: [0], interceptors: [])
        #expect(passed.status.code == .failedPrecondition)
        let refused = try await run(router, path: "/s/Later", request: [3], interceptors: [RejectAll()])
        #expect(refused.status.code == .unauthenticated)
    }

    @Test("server streaming writes each message, then ends OK")
    func serverStreaming() async throws {
        var router = RPCRouter()
        router.registerServerStreaming(MethodDescriptor(service: "s", method: "Count")) { (request: RawMessage, writer: RPCWriter<RawMessage>, _) in
            for i in 0..<Int(request.bytes[0]) { try await writer.write(RawMessage(bytes: [UInt8(i)])) }
        }
        let method = try #require(router.lookup(path: "/s/Count"))
        let sink = RecordingSink()
        await RPCServer(router: router).run(method, ServerCall(context: context(method.descriptor), request: .single([3]), sink: sink))
        #expect(sink.messages.withLock { $0 } == [[0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 1, 2]])
        #expect(sink.finished.withLock { $0?.status } == .ok)
    }

    @Test("client streaming reads every pushed message until the end, re-opening the window by wire bytes")
    func clientStreaming() async throws {
        var router = RPCRouter()
        router.registerClientStreaming(MethodDescriptor(service: "s", method: "Sum")) { (requests: RPCInbound<RawMessage>, _) in
            var total: UInt8 = 0
            for try await message in requests { total &+= message.bytes.first ?? 0 }
            return RawMessage(bytes: [total])
        }
        let method = try #require(router.lookup(path: "/s/Sum"))
        let consumed = Mutex(0)
        let queue = InboundMessageQueue { count in consumed.withLock { $0 += count } }
        let sink = RecordingSink()
        queue.push([1])
        queue.push([2, 0])
        queue.push([3], wireSize: 40)  // e.g. a compressed message: its received size counts
        queue.finish(.success(()))
        await RPCServer(router: router).run(method, ServerCall(context: context(method.descriptor), request: .stream(queue), sink: sink))
        #expect(sink.finished.withLock { $0?.framed } == [0, 0, 0, 0, 1, 6])
        #expect(consumed.withLock { $0 } == 6 + 7 + 40)
    }
}
