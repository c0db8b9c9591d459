#if canImport(Glibc)
import Glibc
#endif

/// One routable method: its name, its kind and its type-erased handler.
public final class RegisteredMethod: Sendable {
    /// Runs the call; returns the final framed response message for single-response kinds.
    @usableFromInline typealias Handler = @Sendable (ServerCall) async throws -> [UInt8]?
    /// The same for a unary handler that never suspends (see ``RPCServer/runsInline(_:)``).
    @usableFromInline typealias SynchronousHandler = @Sendable (ServerCall) throws -> [UInt8]?
    /// The same for a unary handler that answers through a callback, from any thread (see
    /// ``RPCServer/runsDeferred(_:)``).
    @usableFromInline typealias DeferredHandler = @Sendable (ServerCall, @escaping @Sendable (Result<[UInt8]?, any Error>) -> Void) -> Void

    public let descriptor: MethodDescriptor
    public let kind: RPCKind
    let handler: Handler
    let synchronousHandler: SynchronousHandler?
    let deferredHandler: DeferredHandler?
    let pathBytes: [UInt8]

    /// Whether `path` (raw `:path` bytes) names this method.
    public func matches(path: UnsafeRawBufferPointer) -> Bool {
        pathBytes.count == path.count && pathBytes.withUnsafeBytes { memcmp($0.baseAddress!, path.baseAddress!, path.count) == 0 }
    }

    /// Whether the client sends a stream of messages (the handler starts before the request ends).
    public var clientStreams: Bool { kind == .clientStreaming || kind == .bidirectionalStreaming }

    init(descriptor: MethodDescriptor, kind: RPCKind, handler: @escaping Handler, synchronousHandler: SynchronousHandler? = nil,
         deferredHandler: DeferredHandler? = nil) {
        self.descriptor = descriptor
        self.kind = kind
        self.handler = handler
        self.synchronousHandler = synchronousHandler
        self.deferredHandler = deferredHandler
        self.pathBytes = Array(descriptor.path.utf8)
    }
}
