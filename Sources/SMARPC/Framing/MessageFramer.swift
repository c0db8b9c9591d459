/// Writes gRPC length-prefixed messages: a compressed flag byte, a 4-byte big-endian length,
/// then the message.
public enum MessageFramer {
    /// Size of the length prefix.
    public static let prefixSize = 5

    /// Frames a message, serializing it directly behind a reserved prefix (no extra copy),
    /// compressing with `compression` when given.
    public static func frame(_ message: some RPCMessage, compression: MessageCompression? = nil) throws(RPCError) -> [UInt8] {
        // One allocation for the common small message: prefix and body share the buffer.
        // (Not `Array(unsafeUninitializedCapacity:)`: on Linux it looks the storage's generic
        // metadata up in the runtime's cache on every call — 1.2% of a unary call's CPU.)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        for _ in 0..<prefixSize { buffer.append(0) }
        message.serialize(appendingTo: &buffer)
        if let compression {
            let compressed = try compression.compress(buffer[prefixSize...])
            var framed = [UInt8](repeating: 0, count: prefixSize)
            framed.append(contentsOf: compressed)
            writePrefix(into: &framed, compressed: true)
            return framed
        }
        writePrefix(into: &buffer, compressed: false)
        return buffer
    }

    /// Frames already-serialized bytes.
    public static func frame(bytes: [UInt8]) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: prefixSize)
        buffer.append(contentsOf: bytes)
        writePrefix(into: &buffer, compressed: false)
        return buffer
    }

    private static func writePrefix(into buffer: inout [UInt8], compressed: Bool) {
        let length = UInt32(buffer.count - prefixSize)
        buffer[0] = compressed ? 1 : 0
        buffer[1] = UInt8(truncatingIfNeeded: length >> 24)
        buffer[2] = UInt8(truncatingIfNeeded: length >> 16)
        buffer[3] = UInt8(truncatingIfNeeded: length >> 8)
        buffer[4] = UInt8(truncatingIfNeeded: length)
    }
}
