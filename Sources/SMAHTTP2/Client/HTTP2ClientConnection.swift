import CNGHTTP2
import Glibc
import SMARPC

/// A client HTTP/2 connection (h2c) making unary gRPC calls, driven by an ``EventLoop``.
///
/// Built like the server's connection: a non-blocking socket, an nghttp2 client session fed
/// by `mem_recv`, and output drained from `mem_send` into one buffer written once per loop
/// iteration. Calls need no task and no object of their own: each takes a pooled slot, and
/// its ``GRPCClientResult`` is handed to ``onResult`` on the loop thread — where the caller
/// may start the next call right away.
///
/// Confined to its loop: create it, start calls and close it on the loop thread (inside
/// ``EventLoop/execute(_:)`` or one of its callbacks). Calls beyond the server's
/// `SETTINGS_MAX_CONCURRENT_STREAMS` are queued by nghttp2; request bodies obey flow control.
public final class HTTP2ClientConnection: EventLoopHandler {
    /// Connection progress.
    public enum State: Sendable, Equatable {
        case connecting, connected, closed
    }

    public let host: String
    public let port: Int
    let loop: EventLoop
    let configuration: HTTP2ClientConfiguration
    private let fd: Int32
    // Loop-confined state touched on every call is marked `@exclusivity(unchecked)`: the
    // dynamic exclusivity checks Swift adds to class properties cost ~8% of the client's CPU
    // (perf), and no access here overlaps another (callers' closures never run inside one:
    // request bodies and deframers are moved out of their slot first, results are delivered
    // from a copy).
    @exclusivity(unchecked) private(set) var session: OpaquePointer?

    /// Connection progress.
    public var state: State { currentState }
    @exclusivity(unchecked) var currentState = State.connecting

    /// Called once per call with its outcome (loop thread, never from inside nghttp2).
    @exclusivity(unchecked) public var onResult: (GRPCClientResult) -> Void = { _ in }
    /// Called once when the connection is ready: TCP connected and the server's SETTINGS
    /// received, so its `MAX_CONCURRENT_STREAMS` is known.
    public var onConnect: () -> Void = {}
    /// Called once when the connection ends: `nil` after ``close()``, the cause otherwise.
    /// Results of calls still in flight (`UNAVAILABLE`) are delivered before.
    public var onClose: (HTTP2ClientError?) -> Void = { _ in }

    @exclusivity(unchecked) var slots = ClientSlotPool()
    @exclusivity(unchecked) private var freeSlots: [Int] = []
    /// Results collected inside nghttp2 callbacks, delivered once nghttp2 has returned.
    @exclusivity(unchecked) var finished: [GRPCClientResult] = []
    @exclusivity(unchecked) private var delivering = false
    /// Calls started and not yet delivered.
    public var inFlight: Int { callsInFlight }
    @exclusivity(unchecked) var callsInFlight = 0
    /// Set when the server sent GOAWAY or stream ids ran out: no new call can start here.
    @exclusivity(unchecked) var isGoingAway = false
    /// Whether ``startCall(_:tag:message:)`` can start calls on this connection.
    public var acceptsCalls: Bool { state != .closed && !isGoingAway }
    private var closeError: HTTP2ClientError?

    private let readBuffer: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) private var output: [UInt8] = []
    @exclusivity(unchecked) private var outputOffset = 0
    @exclusivity(unchecked) private var waitingForWritable = false
    @exclusivity(unchecked) private var isDirty = false
    /// The pending deadline sweep, if any.
    @exclusivity(unchecked) private var sweepTimer: TimerHeap.ID?
    private var connectTimer: TimerHeap.ID?
    /// Set by the first SETTINGS frame; ``onConnect`` runs once nghttp2 has returned.
    var readyPending = false
    private var announcedReady = false

    /// Opens a connection to `host:port` on `loop` (must be called on the loop thread).
    /// Calls may be started at once: they are sent when the connection is up. The name is
    /// resolved with a blocking `getaddrinfo` (instant for numeric addresses).
    /// - Throws: ``HTTP2ClientError`` when the address does not resolve or no socket can be made;
    ///   a refused or timed-out connect is reported through ``onClose`` instead.
    public init(host: String, port: Int, loop: EventLoop, configuration: HTTP2ClientConfiguration = .init()) throws(HTTP2ClientError) {
        precondition(loop.inLoop, "HTTP2ClientConnection must be created on its loop thread")
        self.host = host
        self.port = port
        self.loop = loop
        self.configuration = configuration
        fd = try Self.startConnect(host: host, port: port)
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        createSession()
        loop.register(fd: fd, handler: self, events: EPOLLOUT.rawValue | EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        // Timers hold the connection strongly: a weak reference would move its reference
        // count to a side table and slow down every retain on the hot path.
        connectTimer = loop.schedule(afterNanoseconds: configuration.connectTimeoutNanoseconds) { [self] in
            connectTimer = nil
            guard !announcedReady else { return }
            fail(.connectTimedOut(host: host, port: port))
        }
    }

    deinit {
        if let session { nghttp2_session_del(session) }
        readBuffer.deallocate()
        slots.deallocate()
    }

    private static func startConnect(host: String, port: Int) throws(HTTP2ClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else { throw .resolveFailed(host: host, reason: String(cString: gai_strerror(rc))) }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .connectFailed(host: host, port: port, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 && errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .connectFailed(host: host, port: port, reason: reason)
        }
        return fd
    }

    private func createSession() {
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        var newSession: OpaquePointer?
        nghttp2_session_client_new2(&newSession, HTTP2ClientCallbacks.shared, Unmanaged.passUnretained(self).toOpaque(), option)
        nghttp2_option_del(option)
        session = newSession
        let settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(configuration.initialWindowSize)),
        ]
        // The client preface is queued by nghttp2 ahead of this SETTINGS frame.
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), settings, settings.count)
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.connectionWindowSize)
    }

    // MARK: I/O

    func handleEvent(_ events: UInt32) {
        if state == .connecting {
            finishConnect(events)
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            writeOutput()
            if outputOffset == output.count { markDirty() }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
            readInput()
        }
    }

    private func finishConnect(_ events: UInt32) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 || events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            let reason = String(cString: strerror(error != 0 ? error : ECONNREFUSED))
            fail(.connectFailed(host: host, port: port, reason: reason))
            return
        }
        guard events & EPOLLOUT.rawValue != 0 else { return }
        currentState = .connected
        loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        markDirty()
    }

    private func readInput() {
        while state == .connected {
            let count = Glibc.read(fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                let consumed = nghttp2_session_mem_recv(session, readBuffer.baseAddress, count)
                if consumed < 0 {
                    fail(.protocolError(String(cString: nghttp2_strerror(Int32(consumed)))))
                    return
                }
                markDirty()
                if readyPending { announceReady() }
                deliverFinished()
                if count < readBuffer.count { return }
            } else if count == 0 {
                fail(.connectionLost("the server closed the connection"))
                return
            } else {
                if errno == EAGAIN || errno == EINTR { return }
                fail(.connectionLost(String(cString: strerror(errno))))
                return
            }
        }
    }

    private func announceReady() {
        readyPending = false
        guard !announcedReady, state == .connected else { return }
        announcedReady = true
        if let connectTimer {
            loop.timers.cancel(connectTimer)
            self.connectTimer = nil
        }
        onConnect()
    }

    func markDirty() {
        if !isDirty && state != .closed {
            isDirty = true
            loop.markDirty(self)
        }
    }

    /// Drains nghttp2's output into the buffer and writes it with as few syscalls as possible.
    func flush() {
        isDirty = false
        guard state == .connected, let session, !waitingForWritable else { return }
        while nghttp2_session_want_write(session) != 0 {
            var data: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &data)
            if length < 0 {
                fail(.protocolError(String(cString: nghttp2_strerror(Int32(length)))))
                return
            }
            if length == 0 { break }
            output.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
            if output.count - outputOffset >= 256 * 1024 {
                writeOutput()
                if waitingForWritable || state == .closed { break }
            }
        }
        if state == .connected { writeOutput() }
        deliverFinished()
        if state == .connected && !waitingForWritable
            && nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 {
            fail(.connectionLost("the server ended the session (GOAWAY)"))
        }
    }

    private func writeOutput() {
        while outputOffset < output.count {
            let written = output.withUnsafeBytes { bytes in
                Glibc.send(fd, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                outputOffset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && errno == EAGAIN {
                if !waitingForWritable {
                    waitingForWritable = true
                    loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue)
                }
                return
            } else {
                fail(.connectionLost(String(cString: strerror(errno))))
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
        outputOffset = 0
        if waitingForWritable {
            waitingForWritable = false
            loop.modify(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        }
    }

    // MARK: Closing

    /// Closes the connection; calls still in flight end with `UNAVAILABLE`, then ``onClose``
    /// is called with `nil`.
    public func close() {
        shutDown(error: nil)
    }

    private func fail(_ error: HTTP2ClientError) {
        shutDown(error: error)
    }

    private func shutDown(error: HTTP2ClientError?) {
        guard state != .closed else { return }
        currentState = .closed
        closeError = error
        for timer in [connectTimer, sweepTimer].compactMap({ $0 }) { loop.timers.cancel(timer) }
        connectTimer = nil
        sweepTimer = nil
        loop.deregister(fd: fd)
        Glibc.close(fd)
        let reason = error.map { "\($0)" } ?? "the connection was closed by the client"
        let now = MonotonicClock.now
        for index in slots.indices where slots[index].inUse {
            slots[index].localError = RPCError(code: .unavailable, message: reason)
            finish(slot: index, errorCode: UInt32(NGHTTP2_NO_ERROR.rawValue), now: now)
        }
        nghttp2_session_del(session)
        session = nil
        deliverFinished()
    }

    /// Hands collected results to ``onResult``; re-entrant calls (a result handler that
    /// starts or closes) fold into the running loop.
    func deliverFinished() {
        if delivering { return }
        delivering = true
        var index = 0
        while index < finished.count {
            let result = finished[index]
            index += 1
            callsInFlight -= 1
            onResult(result)
        }
        finished.removeAll(keepingCapacity: true)
        delivering = false
        if state == .closed && callsInFlight == 0 {
            let callback = onClose
            onClose = { _ in }
            onResult = { _ in }
            onConnect = {}
            callback(closeError)
        }
    }

    // MARK: Slots

    func acquireSlot() -> Int {
        if let index = freeSlots.popLast() { return index }
        return slots.append()
    }

    func releaseSlot(_ index: Int) {
        slots[index].inUse = false
        slots[index].head = nil
        slots[index].response = nil
        slots[index].grpcMessage = nil
        freeSlots.append(index)
    }

    /// Starts the periodic client-side deadline check (only while calls carry a deadline).
    func scheduleDeadlineSweep() {
        guard sweepTimer == nil, state != .closed else { return }
        sweepTimer = loop.schedule(afterNanoseconds: configuration.deadlineSweepNanoseconds) { [self] in
            sweepTimer = nil
            if sweepDeadlines(now: MonotonicClock.now) { scheduleDeadlineSweep() }
        }
    }
}
