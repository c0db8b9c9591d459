import Synchronization

/// Everything a handler knows about its call: the method, the caller's metadata, the deadline,
/// the peer, and the response metadata it wants to send.
///
/// One instance per call. Request metadata is parsed from the raw header block only when
/// first asked for, so calls that never look at it never pay for it.
public final class ServerContext: Sendable {
    /// The method being called.
    public let method: MethodDescriptor
    /// The remote peer, e.g. `ipv4:127.0.0.1:53122`.
    public let peer: String
    /// When the call must be finished, from `grpc-timeout`, in ``MonotonicClock`` nanoseconds;
    /// `nil` when the client set none.
    public let deadlineNanoseconds: UInt64?
    /// When the transport started the call, in ``MonotonicClock`` nanoseconds.
    public let startNanoseconds: UInt64
    /// The call's request compression (`grpc-encoding`), `nil` for identity.
    public let requestCompression: MessageCompression?

    private let rawHeaders: RawHeaderBlock
    private let state: Mutex<MutableState>
    /// The response compression negotiated by the transport, before any handler's choice.
    private let negotiatedResponseCompression: MessageCompression?
    /// Whether anything changed the response's metadata or compression. Most calls never do:
    /// the end of such a call reads the defaults without taking the lock (one load, no atomic
    /// read-modify-write; two locks were ~1% of a unary call's CPU).
    private let responseCustomized = Atomic<Bool>(false)

    private struct MutableState: Sendable {
        var requestMetadata: Metadata?
        var responseHeaders = Metadata()
        var responseTrailers = Metadata()
        var responseCompression: MessageCompression?
        // Calls usually carry one value (the caller): it lives inline, so a call allocates no
        // dictionary; more go to `moreValues`. Values are held in their boxes, by reference: a
        // value boxed once (``BoxedContextValue``) is stored with a retain, never boxed again.
        var firstKey: ObjectIdentifier?
        var firstValue: ContextValueBox?
        var moreValues: [ObjectIdentifier: ContextValueBox] = [:]

        mutating func set(_ value: ContextValueBox, for key: ObjectIdentifier) {
            if firstKey == nil || firstKey == key {
                firstKey = key
                firstValue = value
            } else {
                moreValues[key] = value
            }
        }

        func get(_ key: ObjectIdentifier) -> ContextValueBox? {
            firstKey == key ? firstValue : moreValues[key]
        }
    }

    /// Creates a context; the transport calls this for every call.
    public init(
        method: MethodDescriptor,
        peer: String,
        deadlineNanoseconds: UInt64?,
        rawHeaders: RawHeaderBlock,
        requestCompression: MessageCompression?,
        responseCompression: MessageCompression?,
        startNanoseconds: UInt64 = MonotonicClock.now
    ) {
        self.method = method
        self.startNanoseconds = startNanoseconds
        self.peer = peer
        self.deadlineNanoseconds = deadlineNanoseconds
        self.rawHeaders = rawHeaders
        self.requestCompression = requestCompression
        self.negotiatedResponseCompression = responseCompression
        var initial = MutableState()
        initial.responseCompression = responseCompression
        self.state = Mutex(initial)
    }

    /// Creates a context with `ContinuousClock` times.
    public convenience init(
        method: MethodDescriptor,
        peer: String,
        deadline: ContinuousClock.Instant?,
        rawHeaders: RawHeaderBlock,
        requestCompression: MessageCompression?,
        responseCompression: MessageCompression?,
        startTime: ContinuousClock.Instant = .now
    ) {
        self.init(method: method, peer: peer, deadlineNanoseconds: deadline.map(MonotonicClock.nanoseconds(of:)),
                  rawHeaders: rawHeaders, requestCompression: requestCompression,
                  responseCompression: responseCompression, startNanoseconds: MonotonicClock.nanoseconds(of: startTime))
    }

    /// When the call must be finished; `nil` when the client set no `grpc-timeout`.
    public var deadline: ContinuousClock.Instant? { deadlineNanoseconds.map(MonotonicClock.instant(of:)) }
    /// When the transport started the call.
    public var startTime: ContinuousClock.Instant { MonotonicClock.instant(of: startNanoseconds) }
    /// Whether the call has a deadline and it has passed.
    public var deadlineHasPassed: Bool {
        guard let deadlineNanoseconds else { return false }
        return deadlineNanoseconds <= MonotonicClock.now
    }
    /// Time since the transport started the call.
    public var elapsed: Duration { .nanoseconds(Int64(bitPattern: MonotonicClock.now &- startNanoseconds)) }

    /// The caller's custom metadata (headers other than HTTP/2 and gRPC protocol headers).
    public var requestMetadata: Metadata {
        state.withLock { state in
            if let parsed = state.requestMetadata { return parsed }
            let parsed = rawHeaders.metadata()
            state.requestMetadata = parsed
            return parsed
        }
    }

    /// Whether the caller sent a custom header whose name starts with `prefix`; cheaper than
    /// ``requestMetadata`` when the answer is usually no.
    public func hasRequestHeader(withPrefix prefix: StaticString) -> Bool {
        rawHeaders.containsName(withPrefix: prefix)
    }

    /// Adds metadata to the response headers; effective until the first message is sent.
    public func addResponseHeader(_ key: String, _ value: Metadata.Value) {
        state.withLock { state in
            state.responseHeaders.add(key, value: value)
            responseCustomized.store(true, ordering: .releasing)
        }
    }

    /// Adds metadata to the response trailers.
    public func addResponseTrailer(_ key: String, _ value: Metadata.Value) {
        state.withLock { state in
            state.responseTrailers.add(key, value: value)
            responseCustomized.store(true, ordering: .releasing)
        }
    }

    /// Sets the compression of response messages (only used when the client accepts it).
    public func setResponseCompression(_ compression: MessageCompression?) {
        state.withLock { state in
            state.responseCompression = compression
            responseCustomized.store(true, ordering: .releasing)
        }
    }

    /// Stores a value for later interceptors and the handler (e.g. the authenticated caller).
    public func setValue<Key: ContextKey>(_ value: Key.Value, for key: Key.Type) {
        let box = TypedContextValue(value)
        state.withLock { $0.set(box, for: ObjectIdentifier(key)) }
    }

    /// Stores a value boxed once for many calls (e.g. a default caller): a retain, no allocation.
    public func setValue<Key: ContextKey>(_ value: BoxedContextValue<Key>, for key: Key.Type) {
        state.withLock { $0.set(value.box, for: ObjectIdentifier(key)) }
    }

    /// A value stored by an interceptor, if any.
    public func value<Key: ContextKey>(for key: Key.Type) -> Key.Value? {
        guard let box = state.withLock({ $0.get(ObjectIdentifier(key)) }) else { return nil }
        // Both setters store a `TypedContextValue<Key.Value>` under `Key`, and nothing else: a
        // reference cast (checked in debug builds), without the generic class's metadata lookup
        // that `as?` makes on every call.
        return unsafeDowncast(box, to: TypedContextValue<Key.Value>.self).value
    }

    /// Whether the call is cancelled (client reset, deadline passed or server shutting down).
    public var isCancelled: Bool { Task.isCancelled }

    var responseHeaders: Metadata {
        guard responseCustomized.load(ordering: .acquiring) else { return Metadata() }
        return state.withLock { $0.responseHeaders }
    }
    /// Both, under one lock (the end of every call reads them together).
    var responseMetadata: (headers: Metadata, trailers: Metadata) {
        guard responseCustomized.load(ordering: .acquiring) else { return (Metadata(), Metadata()) }
        return state.withLock { ($0.responseHeaders, $0.responseTrailers) }
    }
    @usableFromInline
    var responseCompression: MessageCompression? {
        guard responseCustomized.load(ordering: .acquiring) else { return negotiatedResponseCompression }
        return state.withLock { $0.responseCompression }
    }
}

/// A typed key for values that interceptors attach to a ``ServerContext``.
public protocol ContextKey {
    associatedtype Value: Sendable
}

/// A context value boxed once, to be stored in many calls' contexts without a new box each time
/// (a value larger than three words is heap-allocated whenever it becomes an `any Sendable`).
public struct BoxedContextValue<Key: ContextKey>: Sendable {
    let box: ContextValueBox

    public init(_ value: Key.Value) {
        box = TypedContextValue(value)
    }
}

/// One context value, held by reference: storing it is a retain, reading it a class cast. (Stored
/// as a bare `any Sendable`, the optimiser's existential specialisation re-boxed even an already
/// boxed value on every call.) `@unchecked`: it has no state; the subclass's is immutable.
class ContextValueBox: @unchecked Sendable {}

/// A context value of type `Value`.
final class TypedContextValue<Value: Sendable>: ContextValueBox, @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
