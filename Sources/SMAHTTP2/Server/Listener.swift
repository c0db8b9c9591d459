import CNGHTTP2
import Glibc
import SMARPC

/// The listening socket: accepts connections and spreads them over the loops round-robin.
///
/// `@unchecked Sendable`: created on the starting thread, then used only on loop 0.
final class Listener: EventLoopHandler, @unchecked Sendable {
    let fd: Int32
    let core: HTTP2ServerCore
    private var next = 0
    private(set) var isClosed = false
    /// Out of file descriptors (EMFILE/ENFILE) the listening socket stays readable: accepting
    /// pauses (connections wait in the backlog) for a backoff that doubles from 10 ms to 1 s and
    /// resets at the next accepted connection, instead of spinning on it; one log line per 10 s.
    private var pauseNanoseconds: UInt64 = 0
    private var failuresSinceLog = 0
    private var lastFailureLog: UInt64 = 0

    init(fd: Int32, core: HTTP2ServerCore) {
        self.fd = fd
        self.core = core
    }

    /// Binds and listens; returns the listener and the bound port.
    static func bind(host: String, port: Int, backlog: Int32) throws(TransportError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            throw TransportError.bindFailed(host: host, port: port, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TransportError.bindFailed(host: host, port: port, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, backlog) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TransportError.bindFailed(host: host, port: port, reason: reason)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 ? SocketAddress.port(of: $0) : port }
        }
        return (fd, bound)
    }

    func handleEvent(_ events: UInt32) {
        while !isClosed {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: pauseAccepting(reason: errno)
                default: break
                }
                return
            }
            pauseNanoseconds = 0
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let peer = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress.describe($0) }
            }
            let loop = core.loops[next % core.loops.count]
            next &+= 1
            let core = self.core
            let handoff = UnsafeFD(fd: client)
            loop.execute {
                let connection = HTTP2Connection(fd: handoff.fd, loop: loop, core: core, peer: peer)
                core.connectionOpened(connection)
                connection.start()
            }
        }
    }

    func flush() {}

    /// Stops polling the listening socket for the current backoff (see `pauseNanoseconds`).
    private func pauseAccepting(reason: Int32) {
        let loop = core.loops[0]
        pauseNanoseconds = min(max(pauseNanoseconds * 2, 10_000_000), 1_000_000_000)
        failuresSinceLog += 1
        let now = MonotonicClock.now
        if lastFailureLog == 0 || now &- lastFailureLog >= 10_000_000_000 {
            core.log.event("accept_failed", ["reason": String(cString: strerror(reason)), "failures": String(failuresSinceLog),
                                             "effect": "new connections wait in the backlog; accepting again in \(pauseNanoseconds / 1_000_000) ms"],
                           level: .error)
            lastFailureLog = now
            failuresSinceLog = 0
        }
        loop.modify(fd: fd, events: 0)
        loop.schedule(afterNanoseconds: pauseNanoseconds) { [self] in
            guard !isClosed else { return }
            loop.modify(fd: fd, events: EPOLLIN.rawValue)
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        core.loops[0].deregister(fd: fd)
        Glibc.close(fd)
    }
}

/// A file descriptor handed from the accepting loop to the connection's loop.
struct UnsafeFD: Sendable { let fd: Int32 }
