import CProtobufC

/// Encoding and decoding of any ``ProtoMessage`` through protobuf-c.
@usableFromInline
enum ProtoCodec {
    /// Unpacks with `protobuf_c_message_unpack` into an arena, then reads the Swift value out.
    @inlinable
    static func decode<Message: ProtoMessage>(
        _ type: Message.Type, from bytes: UnsafeRawBufferPointer
    ) throws(ProtoDecodingError) -> Message {
        try ProtoArena.with(expectedBytes: bytes.count * 2) { (arena) throws(ProtoDecodingError) -> Message in
            let descriptor = Message.protoDescriptor.raw
            guard let message = arena.unpack(descriptor, bytes) else {
                throw malformed(descriptor, byteCount: bytes.count)
            }
            return try Message(protoReader: ProtoReader(message: message))
        }
    }

    /// Builds the C struct in an arena and packs it with `protobuf_c_message_pack` after `buffer`'s bytes.
    @inlinable
    static func encode<Message: ProtoMessage>(_ value: Message, appendingTo buffer: inout [UInt8]) {
        ProtoArena.with(expectedBytes: 0) { arena in
            let descriptor = Message.protoDescriptor.raw
            let message = arena.newMessage(descriptor)
            value.write(to: ProtoWriter(message: message, descriptor: descriptor, arena: arena))
            appendPacked(message, to: &buffer, arena: arena)
        }
    }

    @usableFromInline
    static func appendPacked(_ message: UnsafeMutableRawPointer, to buffer: inout [UInt8], arena: ProtoArena) {
        let cMessage = message.assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(cMessage)
        guard size > 0 else { return }
        let start = buffer.count
        if buffer.capacity - start < size && size <= 64 * 1024 {
            // Small messages take the scratch path below: `Array(unsafeUninitializedCapacity:)`
            // looks the array storage's generic metadata up in the runtime's cache on every call
            // on Linux (1.2% of a command's CPU), more than the extra copy of a small message.
            buffer.reserveCapacity(start + size)
        }
        if buffer.capacity - start >= size {
            // Room reserved: pack into scratch, then one memcpy (Array cannot grow uninitialized).
            let scratch = arena.allocate(size).assumingMemoryBound(to: UInt8.self)
            let written = protobuf_c_message_pack(cMessage, scratch)
            precondition(written == size, "protobuf-c packed \(written) bytes after sizing \(size)")
            buffer.append(contentsOf: UnsafeBufferPointer(start: scratch, count: size))
        } else {
            // Growing allocates anyway: allocate once, copy the existing bytes, pack in place.
            buffer = [UInt8](unsafeUninitializedCapacity: start + size) { out, count in
                let base = out.baseAddress.unsafelyUnwrapped
                buffer.withUnsafeBufferPointer { old in
                    if let oldBase = old.baseAddress { base.update(from: oldBase, count: start) }
                }
                let written = protobuf_c_message_pack(cMessage, base + start)
                precondition(written == size, "protobuf-c packed \(written) bytes after sizing \(size)")
                count = start + size
            }
        }
    }

    @usableFromInline
    static func malformed(_ descriptor: UnsafePointer<ProtobufCMessageDescriptor>, byteCount: Int) -> ProtoDecodingError {
        let name = String(cString: descriptor.pointee.name)
        return ProtoDecodingError(
            reason: .malformed,
            message: "\(byteCount) bytes are not a valid protobuf encoding of \(name) "
                + "(truncated data, a wrong wire type, or a bad length or varint); expected a serialized \(name)")
    }
}
