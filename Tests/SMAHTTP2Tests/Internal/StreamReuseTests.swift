@testable import SMAHTTP2
import SMARPC
import Testing

@Suite("HTTP2Stream reuse")
struct StreamReuseTests {
    /// A connection that is never started (no socket, no session): enough to own streams.
    static func connection() -> HTTP2Connection {
        let core = HTTP2ServerCore(configuration: HTTP2ServerConfiguration(), rpc: RPCServer(router: RPCRouter()),
                                   log: StructuredLog())
        return HTTP2Connection(fd: -1, loop: core.loops[0], core: core, peer: "test")
    }

    /// A connection reuses closed streams through `reopen(id:)`, which must reset every stored
    /// property: a property added to the class but not reset there would carry one call's state
    /// into the next call on the same connection.
    @Test("reopen(id:) resets every stored property but the connection")
    func reopenCoversEveryProperty() {
        let stream = HTTP2Stream(id: 1, connection: Self.connection())
        let stored = Set(Mirror(reflecting: stream).children.compactMap(\.label))
        #expect(stored.contains("connection"))
        #expect(stored.subtracting(["connection"]) == HTTP2Stream.reopenedProperties)
    }

    @Test("a reopened stream reads as a new one")
    func reopenedStreamIsNew() {
        let connection = Self.connection()
        let fresh = HTTP2Stream(id: 3, connection: connection)
        let used = HTTP2Stream(id: 1, connection: connection)
        used.isPost = true
        used.discarding = true
        used.requestEnded = true
        used.responseFinished = true
        used.closed = true
        used.unknownPath = "/x.Y/Z"
        used.timeoutNanoseconds = 5
        used.singleMessage = [1, 2, 3]
        used.responseEncodingName = "gzip"
        used.reopen(id: 3)
        func describe(_ stream: HTTP2Stream) -> [String] {
            Mirror(reflecting: stream).children.map { "\($0.label ?? "?")=\(String(describing: $0.value))" }
        }
        #expect(describe(used) == describe(fresh))
    }
}
