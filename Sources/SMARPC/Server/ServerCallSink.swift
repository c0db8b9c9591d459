/// The transport's side of one call's response: implemented by the HTTP/2 stream.
///
/// All methods may be called from any thread; the transport hops to its own thread.
public protocol ServerCallSink: AnyObject, Sendable {
    /// Sends response headers if not sent yet, then one framed message. Suspends while the
    /// peer's flow-control window is exhausted so a slow client never makes the server buffer
    /// without bound.
    /// - Throws: `CANCELLED` when the stream is gone.
    func sendMessage(_ framed: [UInt8], headers: Metadata) async throws(RPCError)

    /// Ends the call. Sends headers first when none were sent and `framed` is given; when no
    /// headers were sent and `framed` is nil the response is Trailers-Only.
    func finish(headers: Metadata, framed: [UInt8]?, status: Status, trailers: Metadata)

    /// Runs `body` on the transport's own thread for this call (at once when already there):
    /// a handler answering from another thread finishes the call where its memory lives.
    func execute(_ body: @escaping @Sendable () -> Void)
}
