/// A protobuf message as a Swift value type, bridged to protobuf-c through its generated descriptor.
///
/// Generated code implements the four requirements declaratively; encoding and decoding come from
/// this extension and always go through `protobuf_c_message_pack` / `protobuf_c_message_unpack`.
public protocol ProtoMessage: ProtoFieldValue {
    /// Creates a message with every field at its default value.
    init()
    /// The protobuf-c descriptor of the message's C struct.
    static var protoDescriptor: ProtoDescriptor { get }
    /// Reads the fields of an unpacked C message (called by the runtime, not by users).
    init(protoReader reader: ProtoReader) throws(ProtoDecodingError)
    /// Writes the fields into a C message being built for packing (called by the runtime, not by users).
    func write(to writer: ProtoWriter)
}

extension ProtoMessage {
    /// Decodes a message from its protobuf wire encoding.
    /// - Throws: ``ProtoDecodingError`` when the bytes are not a valid encoding of this message.
    @inlinable
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        self = try ProtoCodec.decode(Self.self, from: bytes)
    }

    /// Decodes a message from its protobuf wire encoding.
    /// - Throws: ``ProtoDecodingError`` when the bytes are not a valid encoding of this message.
    @inlinable
    public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {
        // Array.withUnsafeBytes only rethrows untyped errors, so the error travels in a Result.
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtoDecodingError) -> Self in try ProtoCodec.decode(Self.self, from: raw) }
        }
        self = try result.get()
    }

    /// The protobuf wire encoding of the message.
    @inlinable
    public func serializedBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        ProtoCodec.encode(self, appendingTo: &bytes)
        return bytes
    }

    /// Appends the protobuf wire encoding of the message after the existing bytes of `buffer`.
    @inlinable
    public func serialize(appendingTo buffer: inout [UInt8]) {
        ProtoCodec.encode(self, appendingTo: &buffer)
    }

    /// Builds a message by mutating a default one: `Foo.with { $0.name = "x" }`.
    @inlinable
    public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try populate(&message)
        return message
    }
}
