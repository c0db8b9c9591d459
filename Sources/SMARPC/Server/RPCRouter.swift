/// Maps `:path`s to handlers. Services register their methods here; the transport looks
/// methods up by the raw bytes of `:path` without building a `String`.
public struct RPCRouter: Sendable {
    private(set) var entries: [RegisteredMethod] = []

    public init() {}

    /// Registers every method of `service`.
    public mutating func register(_ service: some RPCService) {
        service.registerMethods(with: &self)
    }

    /// The registered methods, in registration order.
    public var methods: [MethodDescriptor] { entries.map(\.descriptor) }

    /// The fully qualified names of the registered services, without duplicates.
    public var serviceNames: [String] {
        var seen = Set<String>()
        return entries.compactMap { seen.insert($0.descriptor.service).inserted ? $0.descriptor.service : nil }
    }

    /// Whether any method of `service` is registered.
    public func hasService(_ service: String) -> Bool {
        entries.contains { $0.descriptor.service == service }
    }

    /// Finds the method for a raw `:path`.
    public func lookup(path: UnsafeRawBufferPointer) -> RegisteredMethod? {
        entries.first { $0.matches(path: path) }
    }

    /// Finds the method for a `:path` string.
    public func lookup(path: String) -> RegisteredMethod? {
        var path = path
        return path.withUTF8 { lookup(path: UnsafeRawBufferPointer($0)) }
    }

    @usableFromInline
    mutating func add(_ descriptor: MethodDescriptor, kind: RPCKind, handler: @escaping RegisteredMethod.Handler,
                      synchronousHandler: RegisteredMethod.SynchronousHandler? = nil,
                      deferredHandler: RegisteredMethod.DeferredHandler? = nil) {
        entries.removeAll { $0.descriptor == descriptor }
        entries.append(RegisteredMethod(descriptor: descriptor, kind: kind, handler: handler, synchronousHandler: synchronousHandler,
                                        deferredHandler: deferredHandler))
    }
}

extension RPCRouter {
    /// Registers a unary method.
    @inlinable
    public mutating func registerUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        add(method, kind: .unary) { call in
            let request = try decodeRequest(Request.self, from: call.request.single)
            let response = try await handler(request, call.context)
            return try MessageFramer.frame(response, compression: call.context.responseCompression)
        }
    }

    /// Registers a unary method whose handler never suspends (it answers from memory). With no
    /// ``ServerInterceptor`` installed the transport runs such calls inline on its event loop,
    /// without a task; filters, deadlines, metadata and trailers apply as to any call.
    @inlinable
    public mutating func registerSynchronousUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) throws -> Response
    ) {
        let run: RegisteredMethod.SynchronousHandler = { call in
            let request = try decodeRequest(Request.self, from: call.request.single)
            let response = try handler(request, call.context)
            return try MessageFramer.frame(response, compression: call.context.responseCompression)
        }
        add(method, kind: .unary, handler: { call in try run(call) }, synchronousHandler: run)
    }

    /// Registers a unary method whose handler answers through a callback, which it may call
    /// later and from any thread (e.g. once an append is durable). With no ``ServerInterceptor``
    /// installed the transport starts such calls inline on its event loop, without a task; a
    /// handler that cannot answer at once must not block: it calls back when done. Filters,
    /// deadlines, metadata and trailers apply as to any call. `respond` must be called once.
    @inlinable
    public mutating func registerDeferredUnary<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext, @escaping @Sendable (Result<Response, any Error>) -> Void) -> Void
    ) {
        let run: RegisteredMethod.DeferredHandler = { call, respond in
            let request: Request
            do {
                request = try decodeRequest(Request.self, from: call.request.single)
            } catch {
                return respond(.failure(error))
            }
            let compression = call.context.responseCompression
            handler(request, call.context) { result in
                // Answered on another thread (the event store's writer, say): encode and finish
                // on the call's own loop, so the reply's memory is allocated and freed there.
                call.sink.execute {
                    respond(result.flatMap { response in Result { try MessageFramer.frame(response, compression: compression) } })
                }
            }
        }
        add(method, kind: .unary, handler: { call in
            try await withUnsafeThrowingContinuation { continuation in
                run(call) { continuation.resume(with: $0) }
            }
        }, deferredHandler: run)
    }

    /// Registers a client-streaming method.
    public mutating func registerClientStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (RPCInbound<Request>, ServerContext) async throws -> Response
    ) {
        add(method, kind: .clientStreaming) { call in
            let response = try await handler(RPCInbound(queue: call.request.queue), call.context)
            return try MessageFramer.frame(response, compression: call.context.responseCompression)
        }
    }

    /// Registers a server-streaming method.
    public mutating func registerServerStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        add(method, kind: .serverStreaming) { call in
            let request = try decodeRequest(Request.self, from: call.request.single)
            try await handler(request, RPCWriter(sink: call.sink, context: call.context), call.context)
            return nil
        }
    }

    /// Registers a bidirectional-streaming method.
    public mutating func registerBidirectionalStreaming<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodDescriptor,
        handler: @escaping @Sendable (RPCInbound<Request>, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        add(method, kind: .bidirectionalStreaming) { call in
            try await handler(RPCInbound(queue: call.request.queue), RPCWriter(sink: call.sink, context: call.context), call.context)
            return nil
        }
    }
}

/// A group of methods registered together.
public protocol RPCService: Sendable {
    /// Adds the service's methods to `router`.
    func registerMethods(with router: inout RPCRouter)
}
