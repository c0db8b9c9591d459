import CProtobufC
import Glibc

/// A Swift type that one protobuf field value maps to, with its protobuf-c storage ("slot").
///
/// The slot is where protobuf-c keeps one value: the field inside the C message, or one element of a
/// repeated field's array. Conformances exist for the scalar types, `String`, `[UInt8]` (bytes),
/// ``ProtoEnum`` and ``ProtoMessage``; the underscored requirements are runtime internals.
public protocol ProtoFieldValue: Sendable, Hashable {
    /// Bytes one value occupies in a protobuf-c array (a repeated field's element size).
    static var _protoSlotSize: Int { get }
    /// Reads a value from its slot in an unpacked C message.
    static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> Self
    /// Writes a value into its slot in a C message under construction; memory comes from `arena`.
    static func _protoStore(
        _ value: Self, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena)
}

/// Fixed-width scalars stored by protobuf-c exactly as Swift stores them.
public protocol _ProtoTrivialValue: ProtoFieldValue, BitwiseCopyable {}

extension _ProtoTrivialValue {
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<Self>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> Self {
        slot.load(as: Self.self)
    }

    @inlinable
    public static func _protoStore(
        _ value: Self, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        slot.storeBytes(of: value, as: Self.self)
    }
}

extension Int32: _ProtoTrivialValue {}
extension Int64: _ProtoTrivialValue {}
extension UInt32: _ProtoTrivialValue {}
extension UInt64: _ProtoTrivialValue {}
extension Float: _ProtoTrivialValue {}
extension Double: _ProtoTrivialValue {}

extension Bool: ProtoFieldValue {
    // protobuf_c_boolean is a C int.
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<protobuf_c_boolean>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> Bool {
        slot.load(as: protobuf_c_boolean.self) != 0
    }

    @inlinable
    public static func _protoStore(
        _ value: Bool, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        slot.storeBytes(of: value ? 1 : 0, as: protobuf_c_boolean.self)
    }
}

extension String: ProtoFieldValue {
    // protobuf-c keeps strings as NUL-terminated `char *`.
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<UnsafeRawPointer>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> String {
        guard let chars = slot.load(as: UnsafePointer<CChar>?.self), chars != sma_protobuf_c_empty_string() else { return "" }
        // protobuf-c allocated len + 1 bytes for a string of len bytes: a shorter C string means
        // the wire value held a NUL, which a C string cannot carry. Refuse it rather than truncate.
        let length = strlen(chars)
        guard length == ProtoArena.allocatedSize(of: chars) - 1 else {
            throw ProtoDecodingError(
                reason: .malformed,
                message: "string field '\(String(cString: field.pointee.name))' contains a NUL character (U+0000), "
                    + "which SMA does not accept in strings (use bytes for binary data)")
        }
        if length == 0 { return "" }
        guard let string = String(validatingCString: chars) else {
            throw ProtoDecodingError(
                reason: .invalidUTF8,
                message: "string field '\(String(cString: field.pointee.name))' is not valid UTF-8; "
                    + "proto3 strings must be UTF-8 (use bytes for binary data)")
        }
        return string
    }

    @inlinable
    public static func _protoStore(
        _ value: String, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        slot.storeBytes(of: arena.copyCString(value), as: UnsafeMutableRawPointer.self)
    }
}

extension Array: ProtoFieldValue where Element == UInt8 {
    // `bytes` is a ProtobufCBinaryData { size_t len; uint8_t *data; }.
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<ProtobufCBinaryData>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> [UInt8] {
        let binary = slot.load(as: ProtobufCBinaryData.self)
        guard binary.len > 0, let data = binary.data else { return [] }
        return [UInt8](UnsafeBufferPointer(start: data, count: binary.len))
    }

    @inlinable
    public static func _protoStore(
        _ value: [UInt8], to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        // Always store: a repeated field's slots are uninitialized arena memory.
        let data = value.isEmpty ? nil : arena.copyBytes(value)
        slot.storeBytes(of: ProtobufCBinaryData(len: value.count, data: data), as: ProtobufCBinaryData.self)
    }
}

extension ProtoEnum {
    // protoc-c forces every enum to int size.
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<Int32>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> Self {
        Self(rawValue: slot.load(as: Int32.self))
    }

    @inlinable
    public static func _protoStore(
        _ value: Self, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        slot.storeBytes(of: value.rawValue, as: Int32.self)
    }
}

extension ProtoMessage {
    // A sub-message is a pointer to its C struct; NULL means "not set".
    @inlinable
    public static var _protoSlotSize: Int { MemoryLayout<UnsafeRawPointer>.size }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> Self {
        guard let message = slot.load(as: UnsafeRawPointer?.self) else { return Self() }
        return try Self(protoReader: ProtoReader(message: message))
    }

    @inlinable
    public static func _protoStore(
        _ value: Self, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        let descriptor = field.pointee.descriptor.unsafelyUnwrapped.assumingMemoryBound(
            to: ProtobufCMessageDescriptor.self)
        let message = arena.newMessage(descriptor)
        value.write(to: ProtoWriter(message: message, descriptor: descriptor, arena: arena))
        slot.storeBytes(of: message, as: UnsafeMutableRawPointer.self)
    }
}
