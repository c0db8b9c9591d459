/// A light hook around every call, for interceptors that need not wrap the handler's execution:
/// a synchronous look at the call before it starts, and at its outcome after it ended.
///
/// Cheaper than a ``ServerInterceptor`` (no async frame, no continuation closure per call),
/// which matters on a server doing hundreds of thousands of calls per second. Filters run
/// before the interceptors, in order; `callEnded` runs, in reverse order, for every filter
/// whose `callStarting` was called — also the one that refused the call — after the response
/// was handed to the transport.
public protocol ServerFilter: Sendable {
    /// Before the handler: may inspect or annotate the context; throw to refuse the call.
    func callStarting(context: ServerContext) throws(RPCError)

    /// After the call: `error` is the status it ended with, nil for OK.
    func callEnded(context: ServerContext, error: RPCError?)
}

extension ServerFilter {
    public func callEnded(context: ServerContext, error: RPCError?) {}
}
