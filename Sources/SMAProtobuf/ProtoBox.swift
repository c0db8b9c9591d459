import CProtobufC

/// Immutable heap storage for a message field that (transitively) contains its own message type,
/// so the generated struct keeps a finite size. Generated code hides it behind an optional property.
public final class ProtoBox<Value: ProtoMessage>: ProtoFieldValue {
    /// The boxed message.
    public let value: Value

    @inlinable
    public init(_ value: Value) {
        self.value = value
    }

    public static func == (lhs: ProtoBox, rhs: ProtoBox) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    @inlinable
    public static var _protoSlotSize: Int { Value._protoSlotSize }

    @inlinable
    public static func _protoLoad(
        from slot: UnsafeRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>
    ) throws(ProtoDecodingError) -> ProtoBox {
        ProtoBox(try Value._protoLoad(from: slot, field: field))
    }

    @inlinable
    public static func _protoStore(
        _ value: ProtoBox, to slot: UnsafeMutableRawPointer, field: UnsafePointer<ProtobufCFieldDescriptor>,
        arena: ProtoArena
    ) {
        Value._protoStore(value.value, to: slot, field: field, arena: arena)
    }
}
