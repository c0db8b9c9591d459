import CNGHTTP2
import SMARPC
import SMASessionMemory
import Synchronization

/// State shared by every loop of one server: configuration, the RPC core, counters, and the
/// per-loop connection sets (each only touched on its own loop thread).
///
/// Thread-safety: `@unchecked Sendable` because `connectionSets[i]`, `readBuffers[i]` and
/// `sessionMemory[i]` are only used on loop `i`'s thread; everything else is immutable or atomic.
final class HTTP2ServerCore: @unchecked Sendable {
    let configuration: HTTP2ServerConfiguration
    let rpc: RPCServer
    let log: StructuredLog
    let loops: [EventLoop]
    private let shuttingDown = Atomic<Bool>(false)
    let openConnections = Atomic<Int>(0)
    /// Open streams and OK calls (like `buffers`) are counted by each connection and published
    /// here once per loop iteration (`HTTP2Connection.publishCounters`).
    let openStreams = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    /// Finished calls by status code; OK calls are counted in `okCalls`.
    let callsByCode = Mutex<[Int]>(Array(repeating: 0, count: RPCError.Code.allCases.count))
    let okCalls = Atomic<Int>(0)
    /// What all connections hold of unfinished requests and unread responses.
    let buffers: BufferBudget
    private var connectionSets: [[ObjectIdentifier: HTTP2Connection]]
    private let workerPools: [CallWorkerPool]
    private let readBuffers: [UnsafeMutableRawBufferPointer]
    /// Each loop's allocator for its nghttp2 sessions (`SMASessionMemory`); nil where its address
    /// range could not be reserved (e.g. a strict overcommit limit): that loop's sessions use malloc.
    private let sessionMemory: [OpaquePointer?]

    init(configuration: HTTP2ServerConfiguration, rpc: RPCServer, log: StructuredLog) {
        self.configuration = configuration
        self.rpc = rpc
        self.log = log
        buffers = BufferBudget(limit: configuration.maxBufferedBytes
            ?? BufferBudget.defaultLimit(maxMessageSize: configuration.maxReceiveMessageSize))
        let count = max(1, configuration.loopCount)
        loops = (0..<count).map { EventLoop(index: $0) }
        connectionSets = Array(repeating: [:], count: count)
        workerPools = loops.map { CallWorkerPool(loop: $0) }
        readBuffers = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16) }
        sessionMemory = (0..<count).map { _ in sma_session_memory_create() }
    }

    deinit {
        for buffer in readBuffers { buffer.deallocate() }
        // Every connection (and so every nghttp2 session) holds the core: none is left now.
        for case let pool? in sessionMemory { sma_session_memory_destroy(pool) }
    }

    /// The allocator for an nghttp2 session on `loop` (used on that loop's thread only); nil
    /// for nghttp2's default (malloc).
    func sessionAllocator(for loop: EventLoop) -> nghttp2_mem? {
        guard let pool = sessionMemory[loop.index] else { return nil }
        return nghttp2_mem(mem_user_data: UnsafeMutableRawPointer(pool),
                           malloc: sma_session_memory_malloc, free: sma_session_memory_free,
                           calloc: sma_session_memory_calloc, realloc: sma_session_memory_realloc)
    }

    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }
    func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    /// The worker pool of `loop` (use on that loop only).
    func workers(for loop: EventLoop) -> CallWorkerPool { workerPools[loop.index] }

    /// Ends the idle workers of every loop (shutdown).
    func drainWorkers() {
        for loop in loops {
            let pool = workerPools[loop.index]
            loop.execute { pool.drain() }
        }
    }

    func readBuffer(for loop: EventLoop) -> UnsafeMutableRawBufferPointer { readBuffers[loop.index] }

    func connectionOpened(_ connection: HTTP2Connection) {
        connectionSets[connection.loop.index][ObjectIdentifier(connection)] = connection
        openConnections.add(1, ordering: .relaxed)
        acceptedConnections.add(1, ordering: .relaxed)
    }

    func connectionClosed(_ connection: HTTP2Connection) {
        if connectionSets[connection.loop.index].removeValue(forKey: ObjectIdentifier(connection)) != nil {
            openConnections.subtract(1, ordering: .relaxed)
        }
    }

    func recordCall(status: RPCError.Code) {
        if status == .ok {
            okCalls.wrappingAdd(1, ordering: .relaxed)  // the hot path: no lock
        } else {
            callsByCode.withLock { $0[status.rawValue] += 1 }
        }
    }

    /// Starts each loop's once-a-second connection tick (keepalive).
    func startTicks() {
        for loop in loops {
            loop.execute { [self] in scheduleTick(on: loop) }
        }
    }

    private func scheduleTick(on loop: EventLoop) {
        loop.schedule(afterNanoseconds: 1_000_000_000) { [self] in
            let now = MonotonicClock.now
            for connection in Array(connectionSets[loop.index].values) { connection.tick(now: now) }
            scheduleTick(on: loop)
        }
    }

    /// Runs `body` for every connection of every loop, on that connection's loop.
    func forEachConnection(_ body: @escaping @Sendable (HTTP2Connection) -> Void) {
        for loop in loops {
            loop.execute { [self] in
                for connection in Array(connectionSets[loop.index].values) { body(connection) }
            }
        }
    }
}
