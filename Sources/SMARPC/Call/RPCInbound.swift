/// The request messages of a client-streaming or bidirectional call, decoded on demand.
public struct RPCInbound<Message: RPCMessage>: AsyncSequence, Sendable {
    public typealias Element = Message
    let queue: InboundMessageQueue

    public init(queue: InboundMessageQueue) { self.queue = queue }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: queue) }

    /// Iterates the request messages; throws when the call is cancelled or a message is malformed.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: InboundMessageQueue

        public mutating func next() async throws -> Message? {
            guard let bytes = try await queue.next() else { return nil }
            return try decodeRequest(Message.self, from: bytes)
        }
    }
}

/// Decodes a request, mapping failures to `INTERNAL` as gRPC mandates for unparsable requests.
@usableFromInline
func decodeRequest<Message: RPCMessage>(_ type: Message.Type, from bytes: [UInt8]) throws(RPCError) -> Message {
    do {
        return try bytes.withUnsafeBytes { try Message(serializedBytes: $0) }
    } catch {
        throw RPCError(code: .internal, message: "Could not parse request message \(Message.self): \(error)")
    }
}
