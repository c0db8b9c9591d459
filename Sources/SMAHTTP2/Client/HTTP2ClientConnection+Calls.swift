import CNGHTTP2
import SMARPC

/// Calls: submitting requests, reading responses on bytes, and deciding each call's status.
extension HTTP2ClientConnection {
    /// Starts a unary call whose request message is `message` (unframed).
    /// - Returns: `false` when the connection is closed or going away (no result will come).
    @discardableResult
    public func startCall(_ head: GRPCRequestHead, tag: Int, message: [UInt8]) -> Bool {
        startCall(head, tag: tag) { $0.append(contentsOf: message) }
    }

    /// Starts a unary call whose request message is appended by `writeMessage` to a buffer
    /// reused from an earlier call (the gRPC prefix is added around it): a generated
    /// request costs no allocation.
    /// - Returns: `false` when the connection is closed or going away (no result will come).
    @discardableResult
    public func startCall(_ head: GRPCRequestHead, tag: Int, writeMessage: (inout [UInt8]) -> Void) -> Bool {
        guard state != .closed, !isGoingAway, let session else { return false }
        let index = acquireSlot()
        let now = MonotonicClock.now
        slots[index].reset(maxMessageSize: configuration.maxResponseMessageSize)
        // The body is moved out while the caller writes it: no access to `slots` stays open
        // across the call (which would force dynamic exclusivity checks on every access).
        var body: [UInt8] = []
        swap(&body, &slots[index].body)
        writeMessage(&body)
        swap(&body, &slots[index].body)
        slots[index].writePrefix()
        slots[index].tag = tag
        slots[index].head = head
        slots[index].startedAt = now
        slots[index].deadline = head.timeoutNanoseconds.map { now &+ $0 } ?? 0
        let slotPointer = UnsafeMutableRawPointer(bitPattern: index + 1)
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: slotPointer), read_callback: HTTP2ClientCallbacks.readRequestBody)
        let streamID = nghttp2_submit_request(session, nil, head.fields.baseAddress, head.fields.count, &provider, slotPointer)
        if streamID < 0 {
            // Stream ids exhausted (2^30 calls) or the session is shutting down: no new calls here.
            releaseSlot(index)
            isGoingAway = true
            return false
        }
        callsInFlight += 1
        slots[index].streamID = streamID
        if slots[index].deadline != 0 { scheduleDeadlineSweep() }
        markDirty()
        return true
    }

    // MARK: From the C callbacks (inside nghttp2)

    /// The slot of a live stream, checked against the stream id (a stale pointer never matches).
    func slot(for streamID: Int32, userData: UnsafeMutableRawPointer?) -> Int? {
        let index = Int(bitPattern: userData) - 1
        guard index >= 0, index < slots.count, slots[index].inUse, slots[index].streamID == streamID else { return nil }
        return index
    }

    func readRequestBody(slot index: Int, streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int,
                         flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard index >= 0, index < slots.count, slots[index].inUse, slots[index].streamID == streamID else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        let offset = slots[index].bodyOffset
        let total = slots[index].body.count
        let count = min(length, total - offset)
        if count > 0 {
            slots[index].body.withUnsafeBufferPointer { body in buffer.update(from: body.baseAddress! + offset, count: count) }
        }
        slots[index].bodyOffset = offset + count
        if offset + count == total {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        }
        return count
    }

    /// A response header or trailer, matched on bytes (no `String` unless a message is present).
    func header(slot index: Int, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        switch name.count {
        case 7 where name.equals(":status"):
            slots[index].httpStatus = Self.parseDecimal(value) ?? 0
        case 11 where name.equals("grpc-status"):
            slots[index].grpcStatus = Self.parseDecimal(value) ?? Int(RPCError.Code.unknown.rawValue)
        case 12 where name.equals("grpc-message"):
            slots[index].grpcMessage = Array(value)
        case 13 where name.equals("grpc-encoding"):
            let name = String(decoding: value, as: UTF8.self)
            do {
                let compression = try MessageCompression.parse(encoding: name)
                slots[index].deframer = MessageDeframer(maxMessageSize: configuration.maxResponseMessageSize, compression: compression)
            } catch {
                slots[index].localError = RPCError(code: .internal, message: "The server used an unsupported grpc-encoding '\(name)'")
            }
        default:
            break
        }
    }

    func dataReceived(slot index: Int, bytes: UnsafeRawBufferPointer) {
        guard configuration.collectsResponses, slots[index].localError == nil else { return }
        // Deframe on a local copy moved out of the slot (see startCall).
        var deframer = MessageDeframer(maxMessageSize: 0, compression: nil)
        swap(&deframer, &slots[index].deframer)
        deframer.append(bytes)
        var failure: RPCError?
        do {
            while let message = try deframer.next() {
                if slots[index].response == nil {
                    slots[index].response = message
                } else {
                    slots[index].extraMessages = true
                }
            }
        } catch {
            failure = error
        }
        swap(&deframer, &slots[index].deframer)
        if let failure {
            slots[index].localError = failure
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), slots[index].streamID, UInt32(NGHTTP2_CANCEL.rawValue))
        }
    }

    func streamClosed(slot index: Int, errorCode: UInt32) {
        finish(slot: index, errorCode: errorCode, now: MonotonicClock.now)
    }

    func goAwayReceived() {
        isGoingAway = true
    }

    func settingsReceived() {
        readyPending = true
    }

    // MARK: Completion

    /// Decides the call's status, queues its result and frees the slot.
    func finish(slot index: Int, errorCode: UInt32, now: UInt64) {
        let (code, message) = status(of: index, errorCode: errorCode)
        finished.append(GRPCClientResult(
            tag: slots[index].tag, code: code, message: message,
            response: code == .ok ? slots[index].response : nil,
            latencyNanoseconds: now &- slots[index].startedAt))
        releaseSlot(index)
    }

    /// Status precedence: a client-side error, then `grpc-status`, then the HTTP status, then
    /// the stream's reset code (gRPC's PROTOCOL-HTTP2.md mappings).
    private func status(of index: Int, errorCode: UInt32) -> (RPCError.Code, String) {
        if let error = slots[index].localError { return (error.code, error.message) }
        let grpcStatus = slots[index].grpcStatus
        if grpcStatus >= 0 {
            let code = RPCError.Code(rawValue: grpcStatus) ?? .unknown
            let message = slots[index].grpcMessage.map { PercentEncoding.decode(String(decoding: $0, as: UTF8.self)) } ?? ""
            if code == .ok && configuration.collectsResponses {
                if slots[index].response == nil { return (.internal, "The server sent OK without a response message") }
                if slots[index].extraMessages { return (.internal, "The server sent more than one message to a unary call") }
            }
            return (code, message)
        }
        let httpStatus = slots[index].httpStatus
        if httpStatus != 0 && httpStatus != 200 {
            return (Self.code(forHTTPStatus: httpStatus), "HTTP status \(httpStatus) without grpc-status")
        }
        if errorCode != NGHTTP2_NO_ERROR.rawValue {
            return (Self.code(forResetCode: errorCode), "Stream reset with HTTP/2 error \(String(cString: nghttp2_http2_strerror(errorCode)))")
        }
        return (.internal, "The stream ended without grpc-status")
    }

    static func code(forHTTPStatus status: Int) -> RPCError.Code {
        switch status {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    static func code(forResetCode code: UInt32) -> RPCError.Code {
        switch code {
        case NGHTTP2_REFUSED_STREAM.rawValue: .unavailable
        case NGHTTP2_CANCEL.rawValue: .cancelled
        case NGHTTP2_ENHANCE_YOUR_CALM.rawValue: .resourceExhausted
        case NGHTTP2_INADEQUATE_SECURITY.rawValue: .permissionDenied
        default: .internal
        }
    }

    static func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    // MARK: Deadlines

    /// Ends calls past their deadline with `DEADLINE_EXCEEDED` (RST_STREAM CANCEL to the
    /// server). Returns whether calls with a deadline remain.
    func sweepDeadlines(now: UInt64) -> Bool {
        guard state != .closed, let session else { return false }
        var pending = false
        for index in slots.indices where slots[index].inUse && slots[index].deadline != 0 {
            if slots[index].deadline <= now && slots[index].localError == nil && slots[index].grpcStatus < 0 {
                slots[index].localError = RPCError(code: .deadlineExceeded, message: "Deadline exceeded (client side)")
                nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), slots[index].streamID, UInt32(NGHTTP2_CANCEL.rawValue))
                markDirty()
            }
            pending = true
        }
        return pending
    }
}
