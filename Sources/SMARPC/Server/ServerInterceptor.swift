/// A hook around every call's execution: it may inspect or annotate the context, refuse the
/// call by throwing an ``RPCError``, run code around `next`, or observe its outcome.
///
/// Interceptors that only look at a call before it starts and at its outcome (authentication,
/// logging, metrics) are cheaper as a ``ServerFilter``.
public protocol ServerInterceptor: Sendable {
    /// Intercepts one call. Call `next` to continue to the next interceptor and the handler.
    func intercept(
        context: ServerContext,
        next: (ServerContext) async throws -> InterceptedResponse
    ) async throws -> InterceptedResponse
}

/// The result of the rest of the chain, opaque to interceptors.
public struct InterceptedResponse: Sendable {
    let framed: [UInt8]?
}
