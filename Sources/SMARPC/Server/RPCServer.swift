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
            for filter in filters {
                started += 1
                try filter.callStarting(context: context)
            }
            let framed: [UInt8]?
            if interceptors.isEmpty {
                framed = try await method.handler(call)
            } else {
                framed = try await runChain(at: 0, method: method, call: call).framed
            }
            call.sink.finish(headers: context.responseHeaders, framed: framed, status: .ok,
                             trailers: context.responseTrailers)
        } catch {
            var rpcError = RPCError(converting: error)
            if rpcError.code == .cancelled, let deadline = context.deadline, deadline <= .now {
                // The handler saw the cancellation the deadline caused.
                rpcError = RPCError(code: .deadlineExceeded, message: "Deadline exceeded")
            }
            failure = rpcError
            var trailers = context.responseTrailers
            trailers.add(contentsOf: rpcError.metadata)
            call.sink.finish(headers: context.responseHeaders, framed: nil,
                             status: Status(code: rpcError.code, message: rpcError.message), trailers: trailers)
        }
        var index = started
        while index > 0 {
            index -= 1
            filters[index].callEnded(context: context, error: failure)
        }
    }

    private func runChain(at index: Int, method: RegisteredMethod, call: ServerCall) async throws -> InterceptedResponse {
        if index == interceptors.count {
            return InterceptedResponse(framed: try await method.handler(call))
        }
        return try await interceptors[index].intercept(context: call.context) { _ in
            try await runChain(at: index + 1, method: method, call: call)
        }
    }
}
