import CProtobufC

/// Writes fields into a C message that is being built in a ``ProtoArena`` for `protobuf_c_message_pack`.
///
/// Fields are addressed by descriptor index, like ``ProtoReader``. Valid only during
/// ``ProtoMessage/write(to:)``.
public struct ProtoWriter {
    @usableFromInline let message: UnsafeMutableRawPointer
    /// `nil` for a message without fields; generated code then never asks for a field.
    @usableFromInline let fields: UnsafePointer<ProtobufCFieldDescriptor>?
    @usableFromInline let arena: ProtoArena

    @inlinable
    init(message: UnsafeMutableRawPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, arena: ProtoArena) {
        self.message = message
        self.fields = descriptor.pointee.fields
        self.arena = arena
    }

    /// Sets a field; a oneof member (including a proto3 `optional` field) also becomes the set case.
    @inlinable
    public func write<Value: ProtoFieldValue>(_ index: Int, _ value: Value) {
        let field = fields.unsafelyUnwrapped + index
        if field.pointee.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0 {
            message.storeBytes(
                of: field.pointee.id, toByteOffset: Int(field.pointee.quantifier_offset), as: UInt32.self)
        }
        Value._protoStore(value, to: message + Int(field.pointee.offset), field: field, arena: arena)
    }

    /// Sets a field with presence when `value` is not `nil`.
    @inlinable
    public func writeOptional<Value: ProtoFieldValue>(_ index: Int, _ value: Value?) {
        if let value { write(index, value) }
    }

    /// Sets a repeated field.
    @inlinable
    public func writeRepeated<Value: ProtoFieldValue>(_ index: Int, _ values: [Value]) {
        guard !values.isEmpty else { return }
        let field = fields.unsafelyUnwrapped + index
        let elements = arena.allocate(values.count * Value._protoSlotSize)
        for (i, value) in values.enumerated() {
            Value._protoStore(value, to: elements + i * Value._protoSlotSize, field: field, arena: arena)
        }
        message.storeBytes(of: values.count, toByteOffset: Int(field.pointee.quantifier_offset), as: Int.self)
        message.storeBytes(of: elements, toByteOffset: Int(field.pointee.offset), as: UnsafeMutableRawPointer.self)
    }

    /// Sets a map field as protoc-c's repeated entry messages (key = field 1, value = field 2).
    @inlinable
    public func writeMap<Key: ProtoFieldValue, Value: ProtoFieldValue>(_ index: Int, _ map: [Key: Value]) {
        guard !map.isEmpty else { return }
        let field = fields.unsafelyUnwrapped + index
        let entryDescriptor = field.pointee.descriptor.unsafelyUnwrapped
            .assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
        let keyField = entryDescriptor.pointee.fields.unsafelyUnwrapped
        let valueField = keyField + 1
        let slot = MemoryLayout<UnsafeRawPointer>.size
        let entries = arena.allocate(map.count * slot)
        for (i, (key, value)) in map.enumerated() {
            let entry = arena.newMessage(entryDescriptor)
            Key._protoStore(key, to: entry + Int(keyField.pointee.offset), field: keyField, arena: arena)
            Value._protoStore(value, to: entry + Int(valueField.pointee.offset), field: valueField, arena: arena)
            entries.storeBytes(of: entry, toByteOffset: i * slot, as: UnsafeMutableRawPointer.self)
        }
        message.storeBytes(of: map.count, toByteOffset: Int(field.pointee.quantifier_offset), as: Int.self)
        message.storeBytes(of: entries, toByteOffset: Int(field.pointee.offset), as: UnsafeMutableRawPointer.self)
    }
}
