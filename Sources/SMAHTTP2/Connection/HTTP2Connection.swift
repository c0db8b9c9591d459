import CNGHTTP2
import Glibc
import SMARPC

/// One client connection: a non-blocking socket, an nghttp2 server session, and its streams.
///
/// Confined to one ``EventLoop`` thread. Reads feed `nghttp2_session_mem_recv`; output is
/// drained from `nghttp2_session_mem_send` into one buffer and written once per loop
/// iteration (write batching). When the socket is full, nghttp2 is not asked for more data,
/// so slow readers push back on response streams instead of growing buffers.
///
/// This file: the socket, output batching, the stream registry, shutdown and keepalive.
/// Requests arriving: `HTTP2Connection+Requests.swift`; responses going out:
/// `HTTP2Connection+Responses.swift`.
final class HTTP2Connection: EventLoopHandler {
    let fd: Int32
    let loop: EventLoop
    let core: HTTP2ServerCore
    let peer: String
    var configuration: HTTP2ServerConfiguration { core.configuration }
    private(set) var session: OpaquePointer?
    /// Open streams, for teardown; each stream knows its slot (O(1) removal, no hashing).
    /// Lookups by id go through nghttp2's own stream map (`stream_user_data`).
    private var openStreams: [HTTP2Stream] = []
    /// Closed streams nothing else references, reused by the next streams (see
    /// `HTTP2Stream.reopen(id:)`): a call then allocates and tears down no stream object.
    var spareStreams: [HTTP2Stream] = []
    static let maxSpareStreams = 32
    /// The stream whose header block is being received (saves a lookup per header).
    /// Unmanaged: read at +0, no retain and release per header; `openStreams` holds the stream,
    /// and `unregister` clears this before the stream can go.
    var headerStream: Unmanaged<HTTP2Stream>?
    /// The stream opened last: its HEADERS, DATA and END_STREAM usually arrive back to back, so
    /// ``withOpenStream(_:_:)`` finds it here without a lookup in nghttp2's stream map. Cleared by
    /// `unregister`, like `headerStream`.
    private var recentStream: Unmanaged<HTTP2Stream>?
    private var recentStreamID: Int32 = 0
    /// Custom headers of the header block being received, and of the previous call.
    var scratchHeaders = RawHeaderBlock()
    var previousHeaders = RawHeaderBlock()
    /// While headers arrive: how many bytes of `previousHeaders` they matched so far, and
    /// whether they diverged (then they are copied into `scratchHeaders`). Clients repeat
    /// the same custom headers call after call, so usually nothing is copied or compared.
    var headersMatched = 0
    /// The method the last request on this connection called.
    var lastMethod: RegisteredMethod?
    var headersDiverged = false

    private var output = OutputBuffer()
    private var waitingForWritable = false
    private var isDirty = false
    private(set) var isClosed = false
    private var goingAway = false
    /// Set after a terminal GOAWAY: close as soon as everything queued is written.
    private var closeAfterFlush = false

    // Ping policy (gRPC keepalive enforcement).
    private var lastPingReceived: UInt64 = 0
    private var pingStrikes = 0
    private var sawActivity = true
    private var lastActivity: UInt64 = MonotonicClock.now
    private var keepalivePingSentAt: UInt64?
    var activeCalls = 0
    /// Request bytes held by this connection's streams (see `HTTP2Stream.bufferedRequestBytes`):
    /// bounded by `bufferedRequestLimit`, as each stream is bounded by the message size limit.
    var bufferedRequestBytes = 0 { didSet { unpublished.bufferedBytes += bufferedRequestBytes - oldValue } }
    /// Response bytes queued on this connection's streams and not yet handed to nghttp2 (a client
    /// that does not read keeps them here): bounded by `queuedResponseLimit` for whole responses.
    var queuedResponseBytes = 0 { didSet { unpublished.bufferedBytes += queuedResponseBytes - oldValue } }
    /// The server-wide budget (`core.buffers`), held directly.
    let buffers: BufferBudget
    /// This connection's changes to the server-wide counters (open streams, OK calls, buffered
    /// bytes) since it last published them: they go to the shared atomics once per loop
    /// iteration (`publishCounters`, at the end of `flush` and `close`), not several times per
    /// call — a call changed them 7 times, each an atomic read-modify-write.
    var unpublished = UnpublishedCounters()

    /// Whether `bytes` more would take what all connections hold, this one's unpublished changes
    /// included, beyond the server's buffer budget.
    func serverBuffersWouldExceed(adding bytes: Int) -> Bool {
        buffers.wouldExceed(adding: unpublished.bufferedBytes + bytes)
    }
    var queuedResponseLimit: Int { 16 * configuration.maxReceiveMessageSize }
    /// Failed requests and failed connections are logged through one token bucket: a client can
    /// fail them in a loop, or open connections that fail by the thousand.
    static let failureLog = LogRateLimiter(burst: 200, perSecond: 50)

    /// Writes a failure line if the bucket allows, counting the ones held back since the last.
    func logFailure(_ event: String, _ fields: [String: String], level: StructuredLog.Level = .info) {
        guard let suppressed = Self.failureLog.admit() else { return }
        var fields = fields
        if suppressed > 0 { fields["suppressed"] = String(suppressed) }
        core.log.event(event, fields, level: level)
    }
    /// When the connection was accepted, until the client's SETTINGS arrive (then nil): a client
    /// that never completes the HTTP/2 handshake is closed after `handshakeTimeoutNanoseconds`.
    private var handshakeStartedAt: UInt64? = MonotonicClock.now

    init(fd: Int32, loop: EventLoop, core: HTTP2ServerCore, peer: String) {
        self.fd = fd
        self.loop = loop
        self.core = core
        self.buffers = core.buffers
        self.peer = peer
    }

    /// Creates the nghttp2 session, sends SETTINGS and starts reading (loop thread).
    func start() {
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        nghttp2_option_set_no_auto_window_update(option, 1)
        // gRPC does not use RFC 7540 priorities: keeping closed streams for the priority
        // tree only costs memory and stream-map lookups.
        nghttp2_option_set_no_closed_streams(option, 1)
        nghttp2_option_set_stream_reset_rate_limit(option, configuration.streamResetBurst, configuration.streamResetRatePerSecond)
        var newSession: OpaquePointer?
        let created: Int32
        if var memory = core.sessionAllocator(for: loop) {  // nghttp2 copies it
            created = nghttp2_session_server_new3(&newSession, NGHTTP2Callbacks.shared, Unmanaged.passUnretained(self).toOpaque(), option, &memory)
        } else {
            created = nghttp2_session_server_new2(&newSession, NGHTTP2Callbacks.shared, Unmanaged.passUnretained(self).toOpaque(), option)
        }
        nghttp2_option_del(option)
        guard created == 0, let newSession else {  // out of memory: refuse this connection, not the process
            logFailure("connection_failed", ["peer": peer, "error": String(cString: nghttp2_strerror(created))], level: .warning)
            close()
            return
        }
        session = newSession
        let settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: configuration.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(configuration.initialWindowSize)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: 16 * 1024),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES.rawValue), value: 1),
        ]
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), settings, settings.count)
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.connectionWindowSize)
        loop.register(fd: fd, handler: self, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        markDirty()
    }

    // MARK: I/O

    func handleEvent(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 {
            writeOutput()
            if output.pending == 0 { markDirty() }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readInput()
        }
    }

    private func readInput() {
        // Going away with an error (e.g. a rapid-reset flood met the rate limit): what the peer
        // keeps sending is not read any more; the GOAWAY is written and the connection closed.
        if closeAfterFlush {
            flush()
            // Still open: the peer neither reads (the GOAWAY is stuck) nor stops sending. Waiting
            // would spin on a socket that stays readable.
            if !isClosed { close() }
            return
        }
        let buffer = core.readBuffer(for: loop)
        var budget = 4 * buffer.count
        while !isClosed {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                sawActivity = true
                let consumed = nghttp2_session_mem_recv(session, buffer.baseAddress, count)
                if consumed < 0 {
                    logFailure("connection_protocol_error", ["peer": peer, "error": String(cString: nghttp2_strerror(Int32(consumed)))])
                    markDirty()
                    // nghttp2 queued a GOAWAY: flush it, then close (already logged: not again
                    // as `connection_goaway_sent`).
                    closeAfterFlush = true
                    flush()
                    close()
                    return
                }
                markDirty()
                if count < buffer.count { return }
                // A fair share per loop iteration: a peer that sends without pause must not keep
                // the loop from its other connections (the socket stays readable: we come back).
                budget -= count
                if budget <= 0 { return }
            } else if count == 0 {
                close()
                return
            } else {
                if errno == EAGAIN || errno == EINTR { return }
                close()
                return
            }
        }
    }

    func markDirty() {
        if !isDirty && !isClosed {
            isDirty = true
            loop.markDirty(self)
        }
    }

    /// Drains nghttp2's output into the buffer and writes it with as few syscalls as possible.
    func flush() {
        isDirty = false
        defer { publishCounters() }
        guard !isClosed, let session else { return }
        if waitingForWritable { return }
        while nghttp2_session_want_write(session) != 0 {
            var data: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &data)
            if length < 0 {
                close()
                return
            }
            if length == 0 { break }
            output.append(data.unsafelyUnwrapped, count: length)
            if output.pending >= 256 * 1024 {
                writeOutput()
                if waitingForWritable { return }
            }
        }
        writeOutput()
        if !waitingForWritable && !isClosed && (closeAfterFlush || nghttp2_session_want_read(session) == 0)
            && nghttp2_session_want_write(session) == 0 {
            close()
        }
    }

    private func writeOutput() {
        while output.pending > 0 {
            let written = output.withPendingBytes { bytes, count in
                Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                output.offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && errno == EAGAIN {
                if !waitingForWritable {
                    waitingForWritable = true
                    loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue)
                }
                return
            } else {
                close()
                return
            }
        }
        output.reset(keepLimit: 1 << 20)
        if waitingForWritable {
            waitingForWritable = false
            loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        }
    }

    /// Closes the socket and ends every stream (their handlers are cancelled).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(fd: fd)
        Glibc.close(fd)
        headerStream = nil
        recentStream = nil
        recentStreamID = 0
        spareStreams.removeAll()  // each refers to this connection: break the cycle
        let open = openStreams
        openStreams.removeAll()
        for stream in open {
            stream.didClose(reset: true)
            // nghttp2_session_del reports no stream closes: count these here, or the server's
            // open-stream count keeps them forever (and a shutdown waits out its whole grace
            // period for streams whose client vanished long ago).
            unpublished.openStreams -= 1
        }
        // What the streams held is freed with them: give it back to the server's budget.
        bufferedRequestBytes = 0
        queuedResponseBytes = 0
        nghttp2_session_del(session)
        session = nil
        publishCounters()
        core.connectionClosed(self)
    }

    // MARK: Stream registry

    /// Registers a new stream with nghttp2 (as its `stream_user_data`) and for teardown.
    func register(_ stream: HTTP2Stream) {
        stream.slot = openStreams.count
        openStreams.append(stream)
        recentStream = Unmanaged.passUnretained(stream)
        recentStreamID = stream.id
        nghttp2_session_set_stream_user_data(session, stream.id, Unmanaged.passUnretained(stream).toOpaque())
    }

    /// The open stream with `id`, found in nghttp2's stream map.
    func openStream(_ id: Int32) -> HTTP2Stream? {
        withOpenStream(id) { $0 }
    }

    /// Runs `body` with the open stream `id` at +0 (no retain and release per callback), or
    /// returns nil. Sound: `openStreams` holds the stream until nghttp2 closes it, and nghttp2
    /// closes streams only from inside `mem_recv`/`mem_send`, never during `body`.
    @inline(__always)
    func withOpenStream<R>(_ id: Int32, _ body: (HTTP2Stream) -> R) -> R? {
        if id == recentStreamID, let recentStream { return recentStream._withUnsafeGuaranteedRef(body) }
        guard let session, let pointer = nghttp2_session_get_stream_user_data(session, id) else { return nil }
        return Unmanaged<HTTP2Stream>.fromOpaque(pointer)._withUnsafeGuaranteedRef(body)
    }

    func isHeaderStream(_ stream: HTTP2Stream) -> Bool {
        headerStream?.toOpaque() == Unmanaged.passUnretained(stream).toOpaque()
    }

    /// Forgets a closed stream.
    func unregister(_ stream: HTTP2Stream) {
        if isHeaderStream(stream) { headerStream = nil }
        if recentStream?.toOpaque() == Unmanaged.passUnretained(stream).toOpaque() {
            recentStream = nil
            recentStreamID = 0
        }
        let slot = stream.slot
        guard slot >= 0, slot < openStreams.count, openStreams[slot] === stream else { return }
        let last = openStreams.removeLast()
        if slot < openStreams.count {
            openStreams[slot] = last
            last.slot = slot
        }
        stream.slot = -1
    }

    // MARK: Graceful shutdown

    /// First GOAWAY (last-stream-id 2^31-1): tells the client to stop opening streams.
    func beginShutdown() {
        guard !isClosed, !goingAway else { return }
        goingAway = true
        nghttp2_submit_shutdown_notice(session)
        markDirty()
    }

    /// Final GOAWAY with the last stream actually accepted; later streams are refused.
    func sendFinalGoAway() {
        guard !isClosed, let session else { return }
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                              nghttp2_session_get_last_proc_stream_id(session), UInt32(NGHTTP2_NO_ERROR.rawValue), nil, 0)
        markDirty()
    }

    /// Ends the connection with GOAWAY `code` and debug data, then closes once written.
    /// nghttp2 itself ended the connection with an error (e.g. its stream-reset rate limit met a
    /// rapid-reset flood): close as soon as the GOAWAY is written instead of going on reading.
    func errorGoawaySent(code: UInt32) {
        if !closeAfterFlush {
            logFailure("connection_goaway_sent", ["peer": peer, "error": String(cString: nghttp2_http2_strerror(code))], level: .warning)
        }
        closeAfterFlush = true
    }

    func terminate(code: nghttp2_error_code, debug: String) {
        guard !isClosed, let session else { return }
        var debug = debug
        // A plain GOAWAY with debug data (gRPC clients back off only on "too_many_pings");
        // the connection closes once it is written.
        debug.withUTF8 { bytes in
            _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                      nghttp2_session_get_last_proc_stream_id(session), code.rawValue, bytes.baseAddress, bytes.count)
        }
        closeAfterFlush = true
        markDirty()
    }

    // MARK: Ping policy and keepalive

    /// A PING from the client: enforce gRPC's minimum ping interval.
    func pingReceived() {
        let now = MonotonicClock.now
        // Like grpc-go: without active calls only one ping per 2 hours is acceptable.
        let minimum = activeCalls == 0 && !configuration.permitPingsWithoutCalls
            ? max(configuration.minPingIntervalNanoseconds, 7_200_000_000_000)
            : configuration.minPingIntervalNanoseconds
        let tooSoon = lastPingReceived != 0 && now &- lastPingReceived < minimum
        lastPingReceived = now
        guard tooSoon else { return }
        pingStrikes += 1
        if pingStrikes > configuration.maxPingStrikes {
            logFailure("connection_too_many_pings", ["peer": peer])
            terminate(code: NGHTTP2_ENHANCE_YOUR_CALM, debug: "too_many_pings")
        }
    }

    /// Response headers or data went out: pings are legitimate again (gRPC resets strikes).
    func dataSent() {
        pingStrikes = 0
        lastPingReceived = 0
    }

    /// Called about once a second by the loop: server keepalive (ping an idle connection,
    /// close it when the ping is not acknowledged in time).
    func tick(now: UInt64) {
        guard !isClosed else { return }
        if let started = handshakeStartedAt, configuration.handshakeTimeoutNanoseconds > 0, now &- started > configuration.handshakeTimeoutNanoseconds {
            logFailure("connection_handshake_timeout", ["peer": peer])
            close()
            return
        }
        if sawActivity {
            sawActivity = false
            lastActivity = now
        }
        if let sentAt = keepalivePingSentAt {
            if now &- sentAt > configuration.keepaliveTimeoutNanoseconds {
                logFailure("connection_keepalive_timeout", ["peer": peer])
                close()
            }
            return
        }
        let interval = configuration.keepaliveIntervalNanoseconds
        if interval > 0 && now &- lastActivity > interval {
            keepalivePingSentAt = now
            nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            markDirty()
        }
    }

    /// The client's SETTINGS frame arrived: the HTTP/2 handshake is complete.
    func settingsReceived() {
        handshakeStartedAt = nil
    }

    func pingAckReceived() {
        keepalivePingSentAt = nil
        lastActivity = MonotonicClock.now
    }
}

/// Counter changes a connection has not yet added to its server's shared atomics.
struct UnpublishedCounters {
    var openStreams = 0
    var okCalls = 0
    var bufferedBytes = 0
}

extension HTTP2Connection {
    /// Adds what this connection changed to the server-wide counters (loop thread).
    func publishCounters() {
        if unpublished.openStreams != 0 { core.openStreams.add(unpublished.openStreams, ordering: .relaxed) }
        if unpublished.okCalls != 0 { core.okCalls.wrappingAdd(unpublished.okCalls, ordering: .relaxed) }
        buffers.add(unpublished.bufferedBytes)
        unpublished = UnpublishedCounters()
    }
}
