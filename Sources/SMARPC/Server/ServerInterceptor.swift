/// A hook around every call: authentication, logging and metrics plug in here.
///
/// An interceptor may inspect or annotate the context, refuse the call by throwing an
/// ``RPCError``, or observe the outcome of `next`.
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
