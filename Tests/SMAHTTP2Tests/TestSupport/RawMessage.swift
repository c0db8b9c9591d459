import SMARPC

/// A minimal message for transport tests: the bytes are the message.
struct RawMessage: RPCMessage, Equatable {
    var bytes: [UInt8]
    init(bytes: [UInt8]) { self.bytes = bytes }
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws { self.bytes = Array(bytes) }
    func serialize(appendingTo buffer: inout [UInt8]) { buffer.append(contentsOf: bytes) }
}
