#if canImport(Glibc)
import Glibc
#endif

/// One routable method: its name, its kind and its type-erased handler.
public final class RegisteredMethod: Sendable {
    /// Runs the call; returns the final framed response message for single-response kinds.
    typealias Handler = @Sendable (ServerCall) async throws -> [UInt8]?
    /// The same for a unary handler that never suspends (see ``RPCServer/runsInline(_:)``).
    typealias SynchronousHandler = @Sendable (ServerCall) throws -> [UInt8]?

    public let descriptor: MethodDescriptor
    public let kind: RPCKind
    let handler: Handler
    let synchronousHandler: SynchronousHandler?
    let pathBytes: [UInt8]

    /// Whether `path` (raw `:path` bytes) names this method.
    public func matches(path: UnsafeRawBufferPointer) -> Bool {
        pathBytes.count == path.count && pathBytes.withUnsafeBytes { memcmp($0.baseAddress!, path.baseAddress!, path.count) == 0 }
    }

    /// Whether the client sends a stream of messages (the handler starts before the request ends).
    public var clientStreams: Bool { kind == .clientStreaming || kind == .bidirectionalStreaming }

    init(descriptor: MethodDescriptor, kind: RPCKind, handler: @escaping Handler, synchronousHandler: SynchronousHandler? = nil) {
        self.descriptor = descriptor
        self.kind = kind
        self.handler = handler
        self.synchronousHandler = synchronousHandler
        self.pathBytes = Array(descriptor.path.utf8)
    }
}
