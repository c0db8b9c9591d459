/// Writes the response messages of a server-streaming or bidirectional call.
public struct RPCWriter<Message: RPCMessage>: Sendable {
    let sink: any ServerCallSink
    let context: ServerContext

    init(sink: any ServerCallSink, context: ServerContext) {
        self.sink = sink
        self.context = context
    }

    /// Sends one message; suspends while the client is not reading (flow control).
    /// - Throws: `CANCELLED` when the client went away.
    public func write(_ message: Message) async throws {
        try Task.checkCancellation()
        let framed = try MessageFramer.frame(message, compression: context.responseCompression)
        try await sink.sendMessage(framed, headers: context.responseHeaders)
    }
}
