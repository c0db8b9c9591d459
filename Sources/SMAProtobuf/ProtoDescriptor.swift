import CProtobufC

/// The protobuf-c descriptor of a generated message's C struct (a static, immutable C global).
public struct ProtoDescriptor {
    /// The descriptor emitted by protoc-c.
    public let raw: UnsafePointer<ProtobufCMessageDescriptor>

    @inlinable
    public init(_ raw: UnsafePointer<ProtobufCMessageDescriptor>) {
        self.raw = raw
    }

    /// The fully qualified proto name, e.g. `grpc.health.v1.HealthCheckRequest`.
    public var fullName: String { String(cString: raw.pointee.name) }
}
