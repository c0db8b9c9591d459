import CNGHTTP2
import SMARPC

/// Request side of a connection: headers are matched on bytes (no `String` per header), the
/// call is validated, then started on the loop as a task.
extension HTTP2Connection {
    func beginStream(id: Int32) {
        let stream: HTTP2Stream
        if let spare = spareStreams.popLast() {
            spare.reopen(id: id)
            stream = spare
        } else {
            stream = HTTP2Stream(id: id, connection: self)
        }
        register(stream)
        headerStream = Unmanaged.passUnretained(stream)
        headersMatched = 0
        headersDiverged = false
        unpublished.openStreams += 1
    }

    func header(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        headerStream?._withUnsafeGuaranteedRef { stream in
            if stream.id == streamID { header(stream, name: name, value: value) }
        }
    }

    private func header(_ stream: HTTP2Stream, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        if name.first == UInt8(ascii: ":") {
            if name.equals(":path") {
                if let last = lastMethod, last.matches(path: value) {
                    stream.method = last  // clients mostly call one method again and again
                } else if let method = core.rpc.router.lookup(path: value) {
                    stream.method = method
                    lastMethod = method
                } else {
                    stream.unknownPath = String(decoding: value, as: UTF8.self)
                }
            } else if name.equals(":method") {
                stream.isPost = value.equals("POST")
            }
            return
        }
        switch name.count {
        case 12 where name.equals("content-type"):
            stream.sawContentType = true
            stream.contentTypeIsGRPC = Self.isGRPCContentType(value)
        case 2 where name.equals("te"):
            break
        case 12 where name.equals("grpc-timeout"):
            if let nanos = GRPCTimeout.parseNanoseconds(value) {
                stream.timeoutNanoseconds = nanos
            } else {
                stream.timeoutMalformed = true
            }
        case 13 where name.equals("grpc-encoding"):
            stream.requestEncoding = String(decoding: value, as: UTF8.self)
        case 20 where name.equals("grpc-accept-encoding"):
            stream.acceptEncoding = String(decoding: value, as: UTF8.self)
        default:
            if !headersDiverged, let next = previousHeaders.offset(afterMatching: name, value, at: headersMatched) {
                headersMatched = next
                return
            }
            if !headersDiverged {
                headersDiverged = true
                scratchHeaders.removeAll()
                scratchHeaders.append(prefixOf: previousHeaders, byteCount: headersMatched)
            }
            scratchHeaders.append(name: name, value: value)
        }
    }

    /// `application/grpc`, optionally followed by `+format` or `;parameters`.
    static func isGRPCContentType(_ value: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "application/grpc"
        let length = prefix.utf8CodeUnitCount
        guard value.count >= length, UnsafeRawBufferPointer(rebasing: value[0..<length]).equals(prefix) else { return false }
        return value.count == length || value[length] == UInt8(ascii: "+") || value[length] == UInt8(ascii: ";")
    }

    /// All request headers arrived: validate, then start calls whose client streams.
    func headersComplete(streamID: Int32) {
        withOpenStream(streamID) { headersComplete($0) }
    }

    private func headersComplete(_ stream: HTTP2Stream) {
        guard !stream.discarding else { return }
        let streamID = stream.id
        if isHeaderStream(stream) {
            headerStream = nil
            // Clients repeat the same custom headers call after call: share one copy.
            if headersDiverged || headersMatched != previousHeaders.byteCount {
                if !headersDiverged {
                    scratchHeaders.removeAll()
                    scratchHeaders.append(prefixOf: previousHeaders, byteCount: headersMatched)
                }
                previousHeaders = scratchHeaders
            }
            stream.rawHeaders = previousHeaders
        }
        if !stream.sawContentType || !stream.contentTypeIsGRPC || !stream.isPost {
            stream.discarding = true
            stream.responseFinished = true
            let status: StaticString = stream.isPost ? "415" : "405"
            core.log.event("request_rejected", ["peer": peer, "reason": stream.isPost ? "content-type" : "method"])
            submitTrailersOnly(streamID: streamID,
                               status: Status(code: .internal, message: stream.isPost
                                   ? "Invalid gRPC request: content-type must be application/grpc"
                                   : "Invalid gRPC request: method must be POST"),
                               metadata: [:], httpStatus: status)
            return
        }
        guard let method = stream.method else {
            let path = stream.unknownPath ?? ""
            reject(stream, RPCError(code: .unimplemented, message: "Method not found: \(path)"))
            return
        }
        if core.isShuttingDown {
            reject(stream, RPCError(code: .unavailable, message: "The server is shutting down"))
            return
        }
        if stream.timeoutMalformed {
            reject(stream, RPCError(code: .internal, message: "Malformed grpc-timeout header"))
            return
        }
        let compression: MessageCompression?
        do {
            compression = try MessageCompression.parse(encoding: stream.requestEncoding ?? "identity")
        } catch {
            reject(stream, error)
            return
        }
        stream.deframer = MessageDeframer(maxMessageSize: configuration.maxReceiveMessageSize, compression: compression)
        stream.requestCompression = compression
        if let timeout = stream.timeoutNanoseconds {
            stream.deadlineTimer = loop.schedule(afterNanoseconds: timeout) { stream.deadlineExpired() }
        }
        if method.clientStreams {
            let loop = self.loop
            let streamRef = UnsafeStreamReference(stream)
            let queue = InboundMessageQueue { count in
                loop.execute { streamRef.stream.connection.consumeIfOpen(streamRef.stream, count: count) }
            }
            stream.inbound = queue
            startCall(stream, method: method, request: .stream(queue))
        }
    }

    func consumeIfOpen(_ stream: HTTP2Stream, count: Int) {
        guard !stream.closed else { return }
        consume(streamID: stream.id, count: count)
    }

    func dataReceived(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        consumeConnection(count: bytes.count)
        withOpenStream(streamID) { dataReceived($0, bytes: bytes) }
    }

    private func dataReceived(_ stream: HTTP2Stream, bytes: UnsafeRawBufferPointer) {
        let streamID = stream.id
        guard !stream.discarding, stream.deframer != nil else {
            consume(streamID: streamID, count: bytes.count)
            return
        }
        stream.deframer!.append(bytes)
        if stream.inbound == nil {
            // Single-message request: the deframer bounds it; re-open the window right away.
            consume(streamID: streamID, count: bytes.count)
        }
        do {
            while let message = try stream.deframer!.next() {
                if let inbound = stream.inbound {
                    inbound.push(message, wireSize: stream.deframer!.lastWireSize)
                } else if stream.singleMessage == nil {
                    stream.singleMessage = message
                } else {
                    stream.extraMessages = true
                }
            }
        } catch {
            fail(stream, error)
            return
        }
        updateBufferedRequestBytes(stream)
        if bufferedRequestBytes > bufferedRequestLimit {
            fail(stream, RPCError(code: .resourceExhausted, message:
                "The connection holds more than \(bufferedRequestLimit) bytes of unfinished requests: send large messages fewer at a time"))
        } else if stream.bufferedRequestBytes > 0, serverBuffersWouldExceed(adding: 0) {
            fail(stream, RPCError(code: .resourceExhausted, message:
                "The server holds more than \(core.buffers.limit) bytes of unfinished requests and unread responses across its connections: retry later"))
        }
    }

    /// Unfinished requests a connection may hold: 16 messages of the largest accepted size. Each
    /// stream is bounded by that size, but without this a client could open every stream it may
    /// and leave each one almost a whole message short (1,000 × 4 MiB).
    var bufferedRequestLimit: Int { 16 * configuration.maxReceiveMessageSize }

    /// Recounts what `stream` holds into the connection's total.
    func updateBufferedRequestBytes(_ stream: HTTP2Stream) {
        let held = stream.discarding ? 0 : (stream.deframer?.bufferedByteCount ?? 0) + (stream.singleMessage?.count ?? 0)
        bufferedRequestBytes += held - stream.bufferedRequestBytes
        stream.bufferedRequestBytes = held
    }

    func requestEnded(streamID: Int32) {
        withOpenStream(streamID) { requestEnded($0) }
    }

    private func requestEnded(_ stream: HTTP2Stream) {
        guard !stream.requestEnded else { return }
        stream.requestEnded = true
        guard !stream.discarding, let method = stream.method, stream.deframer != nil else { return }
        if stream.deframer!.hasPartialMessage {
            fail(stream, RPCError(code: .internal, message: "The request ended in the middle of a message"))
            return
        }
        if let inbound = stream.inbound {
            inbound.finish(.success(()))
            return
        }
        guard let message = stream.singleMessage, !stream.extraMessages else {
            let count = stream.extraMessages ? "more than one message" : "no message"
            fail(stream, RPCError(code: .internal, message: "A \(method.kind) request must carry exactly one message, got \(count)"))
            return
        }
        stream.singleMessage = nil
        stream.deframer = nil  // the request is complete: nothing more to reassemble
        updateBufferedRequestBytes(stream)
        startCall(stream, method: method, request: .single(message))
    }

    func streamClosed(id: Int32, errorCode: UInt32) {
        // A strong reference (not `withOpenStream`): `unregister` drops the list's, the last one.
        guard var stream = openStream(id) else { return }
        bufferedRequestBytes -= stream.bufferedRequestBytes
        stream.bufferedRequestBytes = 0
        unregister(stream)
        if stream.startedCall { activeCalls -= 1 }
        stream.didClose(reset: errorCode != NGHTTP2_NO_ERROR.rawValue)
        unpublished.openStreams -= 1
        // Nothing else holds it (no handler, task, timer or queue): keep it for the next call.
        if spareStreams.count < Self.maxSpareStreams, isKnownUniquelyReferenced(&stream) {
            spareStreams.append(stream)
        }
    }

    // `consuming` and the context built in place: both move into the call, no retain of either.
    private func startCall(_ stream: HTTP2Stream, method: RegisteredMethod, request: consuming ServerCall.Request) {
        let now = loop.iterationStart
        let deadline = stream.timeoutNanoseconds.map { MonotonicClock.after($0, from: now) }
        let responseCompression = stream.requestCompression.flatMap { compression in
            stream.acceptEncoding.flatMap { MessageCompression.negotiate(acceptEncoding: $0) } == nil ? nil : compression
        }
        stream.responseEncodingName = responseCompression?.rawValue
        let call = ServerCall(
            context: ServerContext(
                method: method.descriptor, peer: peer, deadlineNanoseconds: deadline, rawHeaders: stream.rawHeaders,
                requestCompression: stream.requestCompression, responseCompression: responseCompression, startNanoseconds: now),
            request: request, sink: stream)
        let rpc = core.rpc
        activeCalls += 1
        stream.startedCall = true
        if rpc.runsInline(method) {
            // A handler that cannot suspend: run it here, inside nghttp2's callback (submitting
            // the response from a callback is allowed); no task, no worker.
            rpc.runInline(method, call)
            return
        }
        if rpc.runsDeferred(method) {
            rpc.runDeferred(method, call)
            return
        }
        core.workers(for: loop).start(CallWorkerPool.Job(rpc: rpc, method: method, call: call, stream: stream))
    }

    /// Answers a call that never reached its handler (Trailers-Only).
    private func reject(_ stream: HTTP2Stream, _ error: RPCError) {
        stream.discarding = true
        stream.finishOnLoop(headers: [:], framed: nil, status: Status(code: error.code, message: error.message), trailers: error.metadata)
    }

    /// Ends a call whose request turned out bad, cancelling its handler if it runs.
    private func fail(_ stream: HTTP2Stream, _ error: RPCError) {
        stream.discarding = true
        stream.singleMessage = nil
        stream.deframer = nil  // what it held is freed now, not when the stream closes
        updateBufferedRequestBytes(stream)
        stream.worker?.task?.cancel()
        stream.inbound?.finish(.failure(error))
        logFailure("request_failed", ["peer": peer, "code": "\(error.code)", "message": StatusText.bounded(error.message)])
        stream.finishOnLoop(headers: [:], framed: nil, status: Status(code: error.code, message: error.message), trailers: [:])
    }
}

/// Lets the window-update closure (which must be `Sendable`) name a loop-confined stream.
/// Safe: it is only dereferenced inside `loop.execute`, on the stream's loop thread.
struct UnsafeStreamReference: @unchecked Sendable {
    let stream: HTTP2Stream
    init(_ stream: HTTP2Stream) { self.stream = stream }
}
