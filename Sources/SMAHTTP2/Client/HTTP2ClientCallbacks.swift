import CNGHTTP2

/// The C edge of the client: nghttp2's callbacks recover the connection from `user_data` and
/// the call's slot from the stream's user data, and hand plain values to Swift.
/// No Swift error ever crosses into C.
enum HTTP2ClientCallbacks {
    /// One callback table for all client sessions (never mutated after creation).
    nonisolated(unsafe) static let shared: OpaquePointer = {
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunk)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameRecv)
        return callbacks!
    }()

    static func connection(_ userData: UnsafeMutableRawPointer?) -> HTTP2ClientConnection {
        Unmanaged<HTTP2ClientConnection>.fromOpaque(userData!).takeUnretainedValue()
    }

    static let onHeader: nghttp2_on_header_callback = { session, frame, name, nameLength, value, valueLength, _, userData in
        guard let frame, let name, let value, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
        let streamID = frame.pointee.hd.stream_id
        let connection = connection(userData)
        guard let slot = connection.slot(for: streamID, userData: nghttp2_session_get_stream_user_data(session, streamID)) else { return 0 }
        connection.header(slot: slot,
                          name: UnsafeRawBufferPointer(start: name, count: nameLength),
                          value: UnsafeRawBufferPointer(start: value, count: valueLength))
        return 0
    }

    static let onDataChunk: nghttp2_on_data_chunk_recv_callback = { session, _, streamID, data, length, userData in
        guard let data else { return 0 }
        let connection = connection(userData)
        guard let slot = connection.slot(for: streamID, userData: nghttp2_session_get_stream_user_data(session, streamID)) else { return 0 }
        connection.dataReceived(slot: slot, bytes: UnsafeRawBufferPointer(start: data, count: length))
        return 0
    }

    static let onStreamClose: nghttp2_on_stream_close_callback = { session, streamID, errorCode, userData in
        let connection = connection(userData)
        guard let slot = connection.slot(for: streamID, userData: nghttp2_session_get_stream_user_data(session, streamID)) else { return 0 }
        connection.streamClosed(slot: slot, errorCode: errorCode)
        return 0
    }

    static let onFrameRecv: nghttp2_on_frame_recv_callback = { _, frame, userData in
        guard let frame else { return 0 }
        let header = frame.pointee.hd
        if header.type == UInt8(NGHTTP2_GOAWAY.rawValue) {
            connection(userData).goAwayReceived()
        } else if header.type == UInt8(NGHTTP2_SETTINGS.rawValue) && header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 {
            connection(userData).settingsReceived()
        }
        return 0
    }

    static let readRequestBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, source, userData in
        guard let buffer, let flags, let source else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        return connection(userData).readRequestBody(
            slot: Int(bitPattern: source.pointee.ptr) - 1, streamID: streamID, into: buffer, length: length, flags: flags)
    }
}
