/// Reassembles gRPC length-prefixed messages from DATA frame payloads of any size.
///
/// Enforces the maximum message size before buffering a message, and decompresses
/// messages flagged as compressed with the call's `grpc-encoding`.
public struct MessageDeframer: Sendable {
    /// The largest decoded message accepted, in bytes.
    public let maxMessageSize: Int
    /// The call's request compression, from `grpc-encoding`.
    public let compression: MessageCompression?

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// A whole uncompressed message that arrived in one chunk, copied once (fast path).
    private var whole: [UInt8]?
    /// Wire bytes (prefix + body as received) of the message ``next()`` returned last.
    public private(set) var lastWireSize = 0

    public init(maxMessageSize: Int, compression: MessageCompression?) {
        self.maxMessageSize = maxMessageSize
        self.compression = compression
    }

    /// Whether bytes of an incomplete message are buffered.
    public var hasPartialMessage: Bool { readIndex < buffer.count }

    /// Bytes held: those of an incomplete message, and a complete one not yet taken.
    public var bufferedByteCount: Int { buffer.count - readIndex + (whole?.count ?? 0) }

    /// Appends received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex == buffer.count, whole == nil, bytes.count >= MessageFramer.prefixSize, bytes[0] == 0 {
            let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
            if length == bytes.count - MessageFramer.prefixSize && length <= maxMessageSize {
                whole = Array(UnsafeRawBufferPointer(rebasing: bytes[MessageFramer.prefixSize...]))
                return
            }
        }
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete message, `nil` when more bytes are needed.
    /// - Throws: `RESOURCE_EXHAUSTED` for an over-size message, `INTERNAL` for a compressed
    ///   message without a negotiated encoding or that fails to decompress.
    public mutating func next() throws(RPCError) -> [UInt8]? {
        if let message = whole {
            whole = nil
            lastWireSize = MessageFramer.prefixSize + message.count
            return message
        }
        let available = buffer.count - readIndex
        guard available >= MessageFramer.prefixSize else { return nil }
        let flag = buffer[readIndex]
        let length = Int(buffer[readIndex + 1]) << 24 | Int(buffer[readIndex + 2]) << 16
            | Int(buffer[readIndex + 3]) << 8 | Int(buffer[readIndex + 4])
        if length > maxMessageSize {
            throw RPCError(code: .resourceExhausted,
                           message: "Received message larger than max (\(length) vs. \(maxMessageSize))")
        }
        if flag > 1 {
            throw RPCError(code: .internal, message: "Invalid gRPC message flag \(flag): expected 0 or 1")
        }
        guard available >= MessageFramer.prefixSize + length else { return nil }
        let start = readIndex + MessageFramer.prefixSize
        let message = Array(buffer[start..<(start + length)])
        lastWireSize = MessageFramer.prefixSize + length
        readIndex = start + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
            readIndex = 0
        } else if readIndex > 65_536 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        if flag == 1 {
            guard let compression else {
                throw RPCError(code: .internal,
                               message: "Compressed message received without a grpc-encoding header")
            }
            return try compression.decompress(message, limit: maxMessageSize)
        }
        return message
    }
}
