import CNGHTTP2

/// The C edge: nghttp2's callbacks, recovering the connection from `user_data` and
/// handing plain Swift values to it. No Swift error ever crosses into C.
enum NGHTTP2Callbacks {
    /// One callback table for all sessions (nghttp2 copies nothing from it per session, and
    /// it is never mutated after creation).
    nonisolated(unsafe) static let shared: OpaquePointer = {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameRecv)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, onFrameSend)
        nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks, onFrameNotSend)
        return callbacks!
    }()

    /// Runs `body` with the session's connection at +0 (no retain/release per callback; about
    /// eight callbacks per call). Sound because nghttp2 calls back only from inside
    /// `mem_recv`/`mem_send`, and the loop holds a strong reference to the connection for the
    /// whole of those calls (its handler table entry or its dirty list).
    @inline(__always)
    static func withConnection<R>(_ userData: UnsafeMutableRawPointer?, _ body: (HTTP2Connection) -> R) -> R {
        Unmanaged<HTTP2Connection>.fromOpaque(userData!)._withUnsafeGuaranteedRef(body)
    }

    static let onBeginHeaders: nghttp2_on_begin_headers_callback = { _, frame, userData in
        guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
              frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }
        withConnection(userData) { $0.beginStream(id: frame.pointee.hd.stream_id) }
        return 0
    }

    static let onHeader: nghttp2_on_header_callback = { _, frame, name, nameLength, value, valueLength, _, userData in
        guard let frame, let name, let value, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
              frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }
        withConnection(userData) {
            $0.header(streamID: frame.pointee.hd.stream_id,
                      name: UnsafeRawBufferPointer(start: name, count: nameLength),
                      value: UnsafeRawBufferPointer(start: value, count: valueLength))
        }
        return 0
    }

    static let onFrameRecv: nghttp2_on_frame_recv_callback = { _, frame, userData in
        guard let frame else { return 0 }
        return withConnection(userData) { connection in
            let header = frame.pointee.hd
            let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch UInt32(header.type) {
            case NGHTTP2_HEADERS.rawValue:
                if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
                    connection.headersComplete(streamID: header.stream_id)
                }
                if endStream { connection.requestEnded(streamID: header.stream_id) }
            case NGHTTP2_DATA.rawValue:
                if endStream { connection.requestEnded(streamID: header.stream_id) }
            case NGHTTP2_SETTINGS.rawValue:
                if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { connection.settingsReceived() }
            case NGHTTP2_PING.rawValue:
                if header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
                    connection.pingAckReceived()
                } else {
                    connection.pingReceived()
                }
            default:
                break
            }
            return 0
        }
    }

    static let onDataChunk: nghttp2_on_data_chunk_recv_callback = { _, _, streamID, data, length, userData in
        guard let data else { return 0 }
        withConnection(userData) { $0.dataReceived(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length)) }
        return 0
    }

    static let onStreamClose: nghttp2_on_stream_close_callback = { _, streamID, errorCode, userData in
        withConnection(userData) { $0.streamClosed(id: streamID, errorCode: errorCode) }
        return 0
    }

    static let onFrameSend: nghttp2_on_frame_send_callback = { _, frame, userData in
        guard let frame else { return 0 }
        let type = UInt32(frame.pointee.hd.type)
        if type == NGHTTP2_DATA.rawValue || type == NGHTTP2_HEADERS.rawValue {
            withConnection(userData) { $0.dataSent() }
        } else if type == NGHTTP2_GOAWAY.rawValue && frame.pointee.goaway.error_code != NGHTTP2_NO_ERROR.rawValue {
            withConnection(userData) { $0.errorGoawaySent(code: frame.pointee.goaway.error_code) }
        }
        return 0
    }

    static let onFrameNotSend: nghttp2_on_frame_not_send_callback = { _, frame, error, userData in
        guard let frame, UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue else { return 0 }
        withConnection(userData) { $0.headersNotSent(streamID: frame.pointee.hd.stream_id, error: error) }
        return 0
    }

    /// `source.ptr` is the stream (``HTTP2Connection/submitResponseHeaders(for:metadata:encoding:)``),
    /// unretained: nghttp2 reads a stream's data only while the stream is open, and the
    /// connection's open-stream list holds it until nghttp2 closes it.
    static let readBody: nghttp2_data_source_read_callback = { _, _, buffer, length, flags, source, _ in
        guard let buffer, let flags, let stream = source?.pointee.ptr else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        return Unmanaged<HTTP2Stream>.fromOpaque(stream)._withUnsafeGuaranteedRef { $0.readBody(into: buffer, length: length, flags: flags) }
    }
}
