/// Names one RPC method: the fully qualified service and the method name.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// Fully qualified service name, e.g. `grpc.health.v1.Health`.
    public let service: String
    /// Method name, e.g. `Check`.
    public let method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    /// The HTTP/2 `:path` of the method: `/service/method`.
    public var path: String { "/\(service)/\(method)" }
    public var description: String { path }
}

/// The four gRPC call kinds.
public enum RPCKind: Sendable, Hashable {
    case unary, clientStreaming, serverStreaming, bidirectionalStreaming
}
