import CNGHTTP2
import Glibc
import SMARPC

/// Submitting a call's response headers, trailers and window updates to nghttp2 (loop thread).
extension HTTP2Connection {
    func submitResponseHeaders(for stream: HTTP2Stream, metadata: Metadata, encoding: String?) {
        let streamID = stream.id
        var provider = nghttp2_data_provider()
        provider.read_callback = NGHTTP2Callbacks.readBody
        // The stream itself, unretained like its stream_user_data: the read callback finds it
        // without a lookup in nghttp2's stream map.
        provider.source.ptr = Unmanaged.passUnretained(stream).toOpaque()
        if metadata.isEmpty && encoding == nil {
            let headers = StaticHeaders.response
            checkSubmit(nghttp2_submit_response(session, streamID, headers.nva, headers.count, &provider), streamID: streamID)
        } else {
            var block = HeaderBlockBuilder()
            block.add(":status", "200")
            block.add("content-type", "application/grpc")
            if let encoding { block.add("grpc-encoding", encoding) }
            block.add("grpc-accept-encoding", "identity,gzip,deflate")
            block.add(metadata: metadata)
            block.withNameValuePairs { nva, count in
                checkSubmit(nghttp2_submit_response(session, streamID, nva, count, &provider), streamID: streamID)
            }
        }
        markDirty()
    }

    func submitTrailers(streamID: Int32, status: Status, metadata: Metadata) {
        if metadata.isEmpty && status.message.isEmpty {
            let trailers = StaticHeaders.trailers(for: status.code)
            checkSubmit(nghttp2_submit_trailer(session, streamID, trailers.nva, trailers.count), streamID: streamID)
            return
        }
        var block = HeaderBlockBuilder()
        Self.addStatus(status, metadata: metadata, to: &block)
        block.withNameValuePairs { nva, count in
            checkSubmit(nghttp2_submit_trailer(session, streamID, nva, count), streamID: streamID)
        }
    }

    func submitTrailersOnly(streamID: Int32, status: Status, metadata: Metadata, httpStatus: StaticString = "200") {
        var block = HeaderBlockBuilder()
        block.add(":status", httpStatus)
        block.add("content-type", "application/grpc")
        block.add("grpc-accept-encoding", "identity,gzip,deflate")
        Self.addStatus(status, metadata: metadata, to: &block)
        block.withNameValuePairs { nva, count in
            checkSubmit(nghttp2_submit_response(session, streamID, nva, count, nil), streamID: streamID)
        }
        markDirty()
    }

    /// A response's headers or trailers that nghttp2 could not send (e.g. a header block over
    /// its 64 KiB limit): reset the stream, so the client gets an error now instead of waiting
    /// for its deadline on a stream that will never end.
    func headersNotSent(streamID: Int32, error: Int32) {
        guard error != NGHTTP2_ERR_STREAM_CLOSED.rawValue, nghttp2_session_find_stream(session, streamID) != nil else { return }
        reset(streamID, event: "headers_not_sent", error: error)
        markDirty()
    }

    /// A header block nghttp2 refused at submission: reset the stream rather than leak it.
    private func checkSubmit(_ result: Int32, streamID: Int32) {
        guard result < 0 else { return }
        reset(streamID, event: "stream_submit_failed", error: result)
    }

    /// Logs why a response cannot go out and resets its stream with INTERNAL_ERROR.
    private func reset(_ streamID: Int32, event: String, error: Int32) {
        core.log.event(event, ["peer": peer, "stream": String(streamID), "error": String(cString: nghttp2_strerror(error))], level: .warning)
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, UInt32(NGHTTP2_INTERNAL_ERROR.rawValue))
    }

    private static func addStatus(_ status: Status, metadata: Metadata, to block: inout HeaderBlockBuilder) {
        block.add("grpc-status", StatusStrings.value(for: status.code))
        if !status.message.isEmpty {
            block.add("grpc-message", PercentEncoding.encode(StatusText.bounded(status.message)))
        }
        if !metadata.isEmpty { block.add(metadata: metadata) }
    }

    func resumeData(streamID: Int32) {
        nghttp2_session_resume_data(session, streamID)
    }

    /// Re-opens `count` bytes of the stream's receive window (the handler took a message).
    func consume(streamID: Int32, count: Int) {
        guard !isClosed else { return }
        nghttp2_session_consume_stream(session, streamID, count)
        markDirty()
    }

    func consumeConnection(count: Int) {
        nghttp2_session_consume_connection(session, count)
    }

    func consumeBoth(streamID: Int32, count: Int) {
        nghttp2_session_consume(session, streamID, count)
    }

    func callFinished(_ stream: HTTP2Stream, status: Status) {
        if status.code == .ok {
            unpublished.okCalls += 1  // published with the other counters, once per loop iteration
        } else {
            core.recordCall(status: status.code)
        }
    }
}
