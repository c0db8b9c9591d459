import SMARPC

/// The state of one in-flight call. Slots are pooled per connection and found again from
/// nghttp2 through the slot index stored as the stream's user data, so a call allocates no
/// object of its own and its request buffer is reused.
struct ClientStreamSlot {
    var inUse = false
    var streamID: Int32 = 0
    var tag = 0
    /// Keeps the header bytes alive until the stream ends (nghttp2 does not copy them).
    var head: GRPCRequestHead?
    /// The framed request message (prefix + body); capacity is reused by the next call.
    var body: [UInt8] = []
    var bodyOffset = 0
    var startedAt: UInt64 = 0
    /// Client-side deadline (monotonic ns), 0 for none.
    var deadline: UInt64 = 0
    var httpStatus = 0
    var grpcStatus = -1
    /// Raw (percent-encoded) `grpc-message`, only kept when present.
    var grpcMessage: [UInt8]?
    /// A status decided on the client (deadline, bad response) that overrides the server's.
    var localError: RPCError?
    var deframer = MessageDeframer(maxMessageSize: 0, compression: nil)
    var response: [UInt8]?
    var extraMessages = false

    /// Resets the per-call fields for a new call, keeping the body's capacity.
    mutating func reset(maxMessageSize: Int) {
        inUse = true
        bodyOffset = 0
        httpStatus = 0
        grpcStatus = -1
        grpcMessage = nil
        localError = nil
        deframer = MessageDeframer(maxMessageSize: maxMessageSize, compression: nil)
        response = nil
        extraMessages = false
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: repeatElement(0, count: MessageFramer.prefixSize))
    }

    /// Writes the gRPC length prefix for the message appended after it.
    mutating func writePrefix() {
        let length = UInt32(truncatingIfNeeded: body.count - MessageFramer.prefixSize)
        body[0] = 0
        body[1] = UInt8(truncatingIfNeeded: length >> 24)
        body[2] = UInt8(truncatingIfNeeded: length >> 16)
        body[3] = UInt8(truncatingIfNeeded: length >> 8)
        body[4] = UInt8(truncatingIfNeeded: length)
    }
}

/// The slots of one connection in manually managed memory, accessed by index through
/// addressors: touching a field is a plain memory access (no bounds, uniqueness or
/// exclusivity check). Loop-confined like its connection; `deallocate()` must be called once.
struct ClientSlotPool {
    private(set) var base: UnsafeMutablePointer<ClientStreamSlot>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    var indices: Range<Int> { 0..<count }

    subscript(index: Int) -> ClientStreamSlot {
        unsafeAddress { UnsafePointer(base + index) }
        nonmutating unsafeMutableAddress { base + index }
    }

    /// Adds a fresh slot and returns its index (moving the slots when the storage grows).
    mutating func append() -> Int {
        if count == capacity {
            let bigger = UnsafeMutablePointer<ClientStreamSlot>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: ClientStreamSlot())
        count += 1
        return count - 1
    }

    func deallocate() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
