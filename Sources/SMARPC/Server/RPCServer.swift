/// Runs calls: the filters, the interceptor chain, the handler, and the mapping of the outcome
/// to a status.
///
/// Transport-neutral: the HTTP/2 transport hands it ``ServerCall``s.
public final class RPCServer: Sendable {
    public let router: RPCRouter
    public let filters: [any ServerFilter]
    public let interceptors: [any ServerInterceptor]
    /// The largest request message accepted (decoded), in bytes.
    public let maxReceiveMessageSize: Int

    public init(router: RPCRouter, filters: [any ServerFilter] = [], interceptors: [any ServerInterceptor] = [],
                maxReceiveMessageSize: Int = 4 * 1024 * 1024) {
        self.router = router
        self.filters = filters
        self.interceptors = interceptors
        self.maxReceiveMessageSize = maxReceiveMessageSize
    }

    /// Runs `call` against `method` to completion; always ends the call on its sink.
    public func run(_ method: RegisteredMethod, _ call: ServerCall) async {
        let context = call.context
        var started = 0
        var failure: RPCError?
        do {
            try startFilters(context, started: &started)
            let framed: [UInt8]?
            if interceptors.isEmpty {
                framed = try await method.handler(call)
            } else {
                framed = try await runChain(at: 0, method: method, call: call)
            }
            finish(call, framed: framed)
        } catch {
            failure = finish(call, error: error)
        }
        endFilters(context, started: started, failure: failure)
    }

    /// Whether calls of `method` can run to completion without suspending: its handler was
    /// registered as synchronous and no ``ServerInterceptor`` (which is async) is installed.
    public func runsInline(_ method: RegisteredMethod) -> Bool {
        method.synchronousHandler != nil && interceptors.isEmpty
    }

    /// Runs a call of a method for which ``runsInline(_:)`` holds, synchronously, with the same
    /// filters, deadline and status mapping as ``run(_:_:)``.
    public func runInline(_ method: RegisteredMethod, _ call: ServerCall) {
        guard let handler = method.synchronousHandler, interceptors.isEmpty else {
            preconditionFailure("runInline needs a synchronous handler and no interceptors")
        }
        guard let started = admit(call) else { return }
        end(call, started: started, Result { try handler(call) })
    }

    /// Whether calls of `method` can be started without a task: its handler answers through a
    /// callback (``RPCRouter/registerDeferredUnary(_:handler:)``) and no ``ServerInterceptor``
    /// (which is async) is installed.
    public func runsDeferred(_ method: RegisteredMethod) -> Bool {
        method.deferredHandler != nil && interceptors.isEmpty
    }

    /// Starts a call of a method for which ``runsDeferred(_:)`` holds; the handler ends it later,
    /// from any thread, with the same filters, deadline and status mapping as ``run(_:_:)``.
    public func runDeferred(_ method: RegisteredMethod, _ call: ServerCall) {
        guard let handler = method.deferredHandler, interceptors.isEmpty else {
            preconditionFailure("runDeferred needs a deferred handler and no interceptors")
        }
        guard let started = admit(call) else { return }
        handler(call) { [self] result in end(call, started: started, result) }
    }

    /// The start of a call that runs without a task: the filters' `callStarting` and the deadline
    /// check. Returns how many filters started, or nil when the call was refused (and ended).
    private func admit(_ call: ServerCall) -> Int? {
        var started = 0
        do {
            try startFilters(call.context, started: &started)
            if call.context.deadlineHasPassed {
                throw RPCError(code: .deadlineExceeded, message: "Deadline exceeded")
            }
            return started
        } catch {
            endFilters(call.context, started: started, failure: finish(call, error: error))
            return nil
        }
    }

    /// Ends a call admitted by ``admit(_:)`` with its handler's outcome.
    private func end(_ call: ServerCall, started: Int, _ outcome: Result<[UInt8]?, any Error>) {
        switch outcome {
        case .success(let framed):
            finish(call, framed: framed)
            endFilters(call.context, started: started, failure: nil)
        case .failure(let error):
            endFilters(call.context, started: started, failure: finish(call, error: error))
        }
    }

    private func startFilters(_ context: ServerContext, started: inout Int) throws(RPCError) {
        // By index: `for filter in filters` copies (retains and releases) each existential.
        for index in filters.indices {
            started += 1
            try filters[index].callStarting(context: context)
        }
    }

    private func endFilters(_ context: ServerContext, started: Int, failure: RPCError?) {
        var index = started
        while index > 0 {
            index -= 1
            filters[index].callEnded(context: context, error: failure)
        }
    }

    private func finish(_ call: ServerCall, framed: [UInt8]?) {
        let metadata = call.context.responseMetadata
        call.sink.finish(headers: metadata.headers, framed: framed, status: .ok, trailers: metadata.trailers)
    }

    /// Ends the call with the status `error` maps to (the one mapping); returns that status.
    private func finish(_ call: ServerCall, error: any Error) -> RPCError {
        let context = call.context
        var rpcError = RPCError(converting: error)
        if rpcError.code == .cancelled, context.deadlineHasPassed {
            // The handler saw the cancellation the deadline caused.
            rpcError = RPCError(code: .deadlineExceeded, message: "Deadline exceeded")
        }
        let metadata = context.responseMetadata
        var trailers = metadata.trailers
        trailers.add(contentsOf: rpcError.metadata)
        call.sink.finish(headers: metadata.headers, framed: nil,
                         status: Status(code: rpcError.code, message: rpcError.message), trailers: trailers)
        return rpcError
    }

    private func runChain(at index: Int, method: RegisteredMethod, call: ServerCall) async throws -> [UInt8]? {
        if index == interceptors.count {
            return try await method.handler(call)
        }
        return try await interceptors[index].intercept(context: call.context) { _ in
            InterceptedResponse(framed: try await runChain(at: index + 1, method: method, call: call))
        }.framed
    }
}
