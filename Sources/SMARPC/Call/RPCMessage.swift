/// A message that can cross the wire: the RPC core only needs bytes in and bytes out.
///
/// Generated protobuf messages (``SMAProtos``) conform through the protobuf-c bridge.
public protocol RPCMessage: Sendable {
    /// Decodes a message from its serialized bytes.
    /// - Throws: any error when the bytes are not a valid encoding; the call then ends with `INTERNAL`.
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws
    /// Appends the message's serialized bytes to `buffer`.
    func serialize(appendingTo buffer: inout [UInt8])
}
