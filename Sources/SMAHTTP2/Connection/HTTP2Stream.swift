import CNGHTTP2
import SMARPC

/// One HTTP/2 stream carrying one gRPC call: the request as parsed from headers and DATA,
/// and the response queue that nghttp2's data provider drains under flow control.
///
/// Thread-safety: `@unchecked Sendable` because every mutable property is touched only on
/// its connection's loop thread; the ``ServerCallSink`` entry points hop there first when
/// called from elsewhere.
final class HTTP2Stream: ServerCallSink, @unchecked Sendable {
    private(set) var id: Int32
    let connection: HTTP2Connection
    /// Index in the connection's open-stream list; -1 once closed.
    var slot = -1

    // Request, filled by header callbacks.
    var isPost = false
    var contentTypeIsGRPC = false
    var sawContentType = false
    var method: RegisteredMethod?
    var unknownPath: String?
    var timeoutNanoseconds: UInt64?
    var timeoutMalformed = false
    var requestEncoding: String?
    var acceptEncoding: String?
    var rawHeaders = RawHeaderBlock()

    // Request body.
    var deframer: MessageDeframer?
    /// The request's `grpc-encoding` (what `deframer` decompresses), kept after it is gone.
    var requestCompression: MessageCompression?
    var singleMessage: [UInt8]?
    /// Request bytes this stream holds (an unfinished message, or one waiting for END_STREAM),
    /// as counted in the connection's `bufferedRequestBytes`.
    var bufferedRequestBytes = 0
    var extraMessages = false
    var inbound: InboundMessageQueue?
    var requestEnded = false
    /// Once an error answered the call, further request bytes are discarded.
    var discarding = false

    // Handler.
    /// Whether a handler was started for this stream.
    var startedCall = false
    /// The worker running this call's handler, until the call ends.
    var worker: CallWorkerPool.Worker?
    var deadlineTimer: TimerHeap.ID?

    // Response.
    var headersSent = false
    var responseFinished = false
    var closed = false
    /// Queued response bytes: framed messages in order (most calls have exactly one).
    private var outbound = OutboundQueue()
    private var outboundOffset = 0
    private(set) var pendingBytes = 0
    private var pendingTrailers: (status: Status, trailers: Metadata)?
    private var dataDeferred = false
    private var writeWaiter: UnsafeContinuation<Void, any Error>?

    init(id: Int32, connection: HTTP2Connection) {
        self.id = id
        self.connection = connection
    }

    /// Makes a closed stream that nothing else references (its connection checks) new again
    /// for stream `id`, as `init` leaves it: a connection reuses its closed streams instead of
    /// allocating and tearing down one object per call. Every stored property is set here;
    /// ``reopenedProperties`` lists them, and a test checks the list against the class.
    func reopen(id: Int32) {
        self.id = id
        slot = -1
        isPost = false
        contentTypeIsGRPC = false
        sawContentType = false
        method = nil
        clear(&unknownPath)
        timeoutNanoseconds = nil
        timeoutMalformed = false
        clear(&requestEncoding)
        clear(&acceptEncoding)
        rawHeaders = RawHeaderBlock()
        clear(&deframer)
        requestCompression = nil
        clear(&singleMessage)
        bufferedRequestBytes = 0
        extraMessages = false
        clear(&inbound)
        requestEnded = false
        discarding = false
        startedCall = false
        clear(&worker)
        deadlineTimer = nil
        headersSent = false
        responseFinished = false
        closed = false
        outbound = OutboundQueue()
        outboundOffset = 0
        pendingBytes = 0
        clear(&pendingTrailers)
        dataDeferred = false
        clear(&writeWaiter)
        clear(&responseEncodingName)
    }

    /// Sets `value` to nil unless it already is: storing nil still calls the runtime's release
    /// on the old value, and most of these are nil by the time a stream is reopened.
    @inline(__always)
    private func clear<T>(_ value: inout T?) {
        if value != nil { value = nil }
    }

    /// The stored properties ``reopen(id:)`` resets (all but `connection`, which stays).
    static let reopenedProperties: Set<String> = [
        "id", "slot", "isPost", "contentTypeIsGRPC", "sawContentType", "method", "unknownPath",
        "timeoutNanoseconds", "timeoutMalformed", "requestEncoding", "acceptEncoding", "rawHeaders",
        "deframer", "requestCompression", "singleMessage", "bufferedRequestBytes", "extraMessages",
        "inbound", "requestEnded", "discarding", "startedCall", "worker", "deadlineTimer",
        "headersSent", "responseFinished", "closed", "outbound", "outboundOffset", "pendingBytes",
        "pendingTrailers", "dataDeferred", "writeWaiter", "responseEncodingName",
    ]

    // MARK: ServerCallSink

    func sendMessage(_ framed: [UInt8], headers: Metadata) async throws(RPCError) {
        let loop = connection.loop
        if !loop.inLoop {
            do {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                    loop.execute { [self] in
                        enqueueMessage(framed, headers: headers, continuation: continuation)
                    }
                }
            } catch {
                throw RPCError(converting: error)
            }
            return
        }
        if closed || responseFinished { throw Self.cancelled }
        appendMessage(framed, headers: headers)
        if pendingBytes > connection.configuration.streamWriteHighWater {
            do {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                    writeWaiter = continuation
                }
            } catch {
                throw RPCError(converting: error)
            }
        }
    }

    private func enqueueMessage(_ framed: [UInt8], headers: Metadata, continuation: UnsafeContinuation<Void, any Error>) {
        if closed || responseFinished {
            continuation.resume(throwing: Self.cancelled)
            return
        }
        appendMessage(framed, headers: headers)
        if pendingBytes > connection.configuration.streamWriteHighWater {
            writeWaiter = continuation
        } else {
            continuation.resume()
        }
    }

    func finish(headers: Metadata, framed: [UInt8]?, status: Status, trailers: Metadata) {
        let loop = connection.loop
        if loop.inLoop {
            finishOnLoop(headers: headers, framed: framed, status: status, trailers: trailers)
        } else {
            loop.execute { [self] in finishOnLoop(headers: headers, framed: framed, status: status, trailers: trailers) }
        }
    }

    func execute(_ body: @escaping @Sendable () -> Void) {
        let loop = connection.loop
        if loop.inLoop { body() } else { loop.execute(body) }
    }

    /// Responses up to this size are queued whatever the connection holds (a command's reply).
    static let alwaysQueuedResponseSize = 16 * 1024

    static let cancelled = RPCError(code: .cancelled, message: "The stream was closed by the client or the call ended")

    // MARK: Loop-thread response path

    func finishOnLoop(headers: Metadata, framed: [UInt8]?, status: Status, trailers: Metadata) {
        guard !closed, !responseFinished else { return }
        var framed = framed, status = status
        if let message = framed, message.count > Self.alwaysQueuedResponseSize {
            if connection.queuedResponseBytes + message.count > connection.queuedResponseLimit {
                // The client is not reading what it asked for: answer small instead of queueing more.
                framed = nil
                status = Status(code: .resourceExhausted, message:
                    "The connection has more than \(connection.queuedResponseLimit) bytes of responses its client has not read: read them before asking for more")
            } else if connection.serverBuffersWouldExceed(adding: message.count) {
                framed = nil
                status = Status(code: .resourceExhausted, message:
                    "The server holds more than \(connection.core.buffers.limit) bytes of unfinished requests and unread responses across its connections: retry later")
            }
        }
        responseFinished = true
        clear(&worker)  // the worker moves on to other calls: later resets must not cancel it
        if let timer = deadlineTimer {
            connection.loop.timers.cancel(timer)
            deadlineTimer = nil
        }
        connection.callFinished(self, status: status)
        if !headersSent && framed == nil {
            var merged = headers
            merged.add(contentsOf: trailers)
            connection.submitTrailersOnly(streamID: id, status: status, metadata: merged)
            return
        }
        if let framed {
            appendMessage(framed, headers: headers)
        }
        pendingTrailers = (status, trailers)
        resumeData()
        failWriter(Self.cancelled)
    }

    private func appendMessage(_ framed: [UInt8], headers: Metadata) {
        pendingBytes += framed.count
        connection.queuedResponseBytes += framed.count
        outbound.append(framed)
        if !headersSent {
            headersSent = true
            connection.submitResponseHeaders(for: self, metadata: headers, encoding: responseEncodingName)
        } else {
            resumeData()
        }
    }

    var responseEncodingName: String?

    private func resumeData() {
        if dataDeferred {
            dataDeferred = false
            connection.resumeData(streamID: id)
        }
        connection.markDirty()
    }

    /// nghttp2's data source: copies queued response bytes, then ends with trailers.
    func readBody(into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        var written = 0
        while written < length, !outbound.isEmpty {
            let (count, chunkLength) = outbound.copyFirst(from: outboundOffset, to: buffer + written, count: length - written)
            written += count
            outboundOffset += count
            if outboundOffset == chunkLength {
                outbound.removeFirst()
                outboundOffset = 0
            }
        }
        pendingBytes -= written
        connection.queuedResponseBytes -= written
        if outbound.isEmpty {
            if let trailers = pendingTrailers.take() {  // moved out: no copy to retain and release
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                connection.submitTrailers(streamID: id, status: trailers.status, metadata: trailers.trailers)
            } else if written == 0 {
                dataDeferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        if let waiter = writeWaiter, pendingBytes <= connection.configuration.streamWriteHighWater / 2 {
            writeWaiter = nil
            waiter.resume()
        }
        return written
    }

    // MARK: Lifecycle

    /// The stream is gone (completed or reset): wake everything waiting on it.
    func didClose(reset: Bool) {
        closed = true
        if let timer = deadlineTimer {
            connection.loop.timers.cancel(timer)
            deadlineTimer = nil
        }
        failWriter(Self.cancelled)
        if let inbound {
            inbound.finish(.failure(Self.cancelled))
            self.inbound = nil  // its window-update closure refers to this stream: break the cycle
        }
        if let worker {
            if reset || !responseFinished { worker.task?.cancel() }
            self.worker = nil
        }
        outbound = OutboundQueue()
        connection.queuedResponseBytes -= pendingBytes
        pendingBytes = 0
    }

    /// The deadline passed: cancel the handler and end the call with DEADLINE_EXCEEDED.
    func deadlineExpired() {
        deadlineTimer = nil
        guard !closed, !responseFinished else { return }
        worker?.task?.cancel()
        inbound?.finish(.failure(RPCError(code: .deadlineExceeded, message: "Deadline exceeded")))
        finishOnLoop(headers: [:], framed: nil, status: Status(code: .deadlineExceeded, message: "Deadline exceeded"), trailers: [:])
    }

    private func failWriter(_ error: RPCError) {
        if let waiter = writeWaiter {
            writeWaiter = nil
            waiter.resume(throwing: error)
        }
    }
}
