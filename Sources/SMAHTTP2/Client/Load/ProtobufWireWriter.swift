/// The protobuf wire format, just enough to write template messages: varints, fixed-width
/// numbers and length-delimited fields (https://protobuf.dev/programming-guides/encoding/).
enum ProtobufWireWriter {
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    static func key(field: Int, wireType: WireType) -> [UInt8] {
        var bytes: [UInt8] = []
        appendVarint(UInt64(field) << 3 | wireType.rawValue, to: &bytes)
        return bytes
    }

    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    static func appendFixed32(_ value: UInt32, to buffer: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func appendFixed64(_ value: UInt64, to buffer: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Writes a length-delimited value produced by `body` behind its length: one byte is
    /// reserved (lengths below 128) and widened in place only for longer values.
    static func appendLengthDelimited(to buffer: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let lengthIndex = buffer.count
        buffer.append(0)
        body(&buffer)
        let length = buffer.count - lengthIndex - 1
        if length < 0x80 {
            buffer[lengthIndex] = UInt8(length)
        } else {
            var prefix: [UInt8] = []
            appendVarint(UInt64(length), to: &prefix)
            buffer.replaceSubrange(lengthIndex..<(lengthIndex + 1), with: prefix)
        }
    }
}
