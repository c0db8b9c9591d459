import CProtobufC

/// Reads the fields of a C message that `protobuf_c_message_unpack` produced.
///
/// Fields are addressed by their index in the descriptor's `fields` array, which protoc-c sorts by
/// field number; generated code passes those indices. Valid only during ``ProtoMessage/init(protoReader:)``.
public struct ProtoReader {
    @usableFromInline let message: UnsafeRawPointer
    /// `nil` for a message without fields; generated code then never asks for a field.
    @usableFromInline let fields: UnsafePointer<ProtobufCFieldDescriptor>?

    @inlinable
    init(message: UnsafeRawPointer) {
        self.message = message
        self.fields = message.load(as: UnsafePointer<ProtobufCMessageDescriptor>.self).pointee.fields
    }

    /// A field without presence (a plain proto3 scalar, string, bytes or enum).
    @inlinable
    public func read<Value: ProtoFieldValue>(_ index: Int) throws(ProtoDecodingError) -> Value {
        let field = fields.unsafelyUnwrapped + index
        return try Value._protoLoad(from: message + Int(field.pointee.offset), field: field)
    }

    /// A field with presence (a message field or a proto3 `optional` field): `nil` when not set.
    @inlinable
    public func readOptional<Value: ProtoFieldValue>(_ index: Int) throws(ProtoDecodingError) -> Value? {
        let field = fields.unsafelyUnwrapped + index
        if field.pointee.flags & PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue != 0 {
            let setCase = message.load(fromByteOffset: Int(field.pointee.quantifier_offset), as: UInt32.self)
            guard setCase == field.pointee.id else { return nil }
        } else if field.pointee.type == PROTOBUF_C_TYPE_MESSAGE {
            guard message.load(fromByteOffset: Int(field.pointee.offset), as: UnsafeRawPointer?.self) != nil else {
                return nil
            }
        }
        return try Value._protoLoad(from: message + Int(field.pointee.offset), field: field)
    }

    /// The field number set in the oneof that the field at `index` belongs to, 0 when none is set.
    @inlinable
    public func oneofCase(_ index: Int) -> Int {
        Int(message.load(fromByteOffset: Int(fields.unsafelyUnwrapped[index].quantifier_offset), as: UInt32.self))
    }

    /// A repeated field (packed or not).
    @inlinable
    public func readRepeated<Value: ProtoFieldValue>(_ index: Int) throws(ProtoDecodingError) -> [Value] {
        let field = fields.unsafelyUnwrapped + index
        let count = message.load(fromByteOffset: Int(field.pointee.quantifier_offset), as: Int.self)
        guard count > 0,
            let elements = message.load(fromByteOffset: Int(field.pointee.offset), as: UnsafeRawPointer?.self)
        else { return [] }
        var values: [Value] = []
        values.reserveCapacity(count)
        for i in 0..<count {
            values.append(try Value._protoLoad(from: elements + i * Value._protoSlotSize, field: field))
        }
        return values
    }

    /// A map field: protoc-c keeps it as a repeated entry message with key = field 1, value = field 2.
    /// A key that occurs twice keeps its last value, as protobuf requires.
    @inlinable
    public func readMap<Key: ProtoFieldValue, Value: ProtoFieldValue>(
        _ index: Int
    ) throws(ProtoDecodingError) -> [Key: Value] {
        let field = fields.unsafelyUnwrapped + index
        let count = message.load(fromByteOffset: Int(field.pointee.quantifier_offset), as: Int.self)
        guard count > 0,
            let entries = message.load(fromByteOffset: Int(field.pointee.offset), as: UnsafeRawPointer?.self)
        else { return [:] }
        let entryFields = field.pointee.descriptor.unsafelyUnwrapped
            .assumingMemoryBound(to: ProtobufCMessageDescriptor.self).pointee.fields.unsafelyUnwrapped
        let keyField = entryFields
        let valueField = entryFields + 1
        var map: [Key: Value] = [:]
        map.reserveCapacity(count)
        for i in 0..<count {
            let entry = entries.load(fromByteOffset: i * MemoryLayout<UnsafeRawPointer>.size, as: UnsafeRawPointer.self)
            let key = try Key._protoLoad(from: entry + Int(keyField.pointee.offset), field: keyField)
            map[key] = try Value._protoLoad(from: entry + Int(valueField.pointee.offset), field: valueField)
        }
        return map
    }
}
