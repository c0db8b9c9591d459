@testable import SMARPC
import Testing

/// A minimal message for routing tests: the bytes are the message.
struct RawMessage: RPCMessage, Equatable {
    var bytes: [UInt8]
    init(bytes: [UInt8]) { self.bytes = bytes }
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws {
        if bytes.first == 0xFF { throw RPCError(code: .invalidArgument, message: "bad") }
        self.bytes = Array(bytes)
    }
    func serialize(appendingTo buffer: inout [UInt8]) { buffer.append(contentsOf: bytes) }
}

@Suite("Routing")
struct RPCRouterTests {
    private func router() -> RPCRouter {
        var router = RPCRouter()
        router.registerUnary(MethodDescriptor(service: "sma.v1.Vehicles", method: "Get")) { (request: RawMessage, _) in request }
        router.registerServerStreaming(MethodDescriptor(service: "sma.v1.Vehicles", method: "Watch")) { (_: RawMessage, _: RPCWriter<RawMessage>, _) in }
        router.registerUnary(MethodDescriptor(service: "sma.v1.Orders", method: "Get")) { (request: RawMessage, _) in request }
        return router
    }

    @Test("paths resolve to their method and kind")
    func lookup() throws {
        let router = router()
        let method = try #require(router.lookup(path: "/sma.v1.Vehicles/Watch"))
        #expect(method.descriptor == MethodDescriptor(service: "sma.v1.Vehicles", method: "Watch"))
        #expect(method.kind == .serverStreaming)
        #expect(router.lookup(path: "/sma.v1.Orders/Get")?.kind == .unary)
    }

    @Test("unknown paths and near misses do not resolve", arguments: ["/sma.v1.Vehicles/get", "/sma.v1.Vehicles/Get/", "/x", "", "/sma.v1.Orders/Gets"])
    func unknown(path: String) {
        #expect(router().lookup(path: path) == nil)
    }

    @Test("service names are listed once, in registration order")
    func services() {
        #expect(router().serviceNames == ["sma.v1.Vehicles", "sma.v1.Orders"])
        #expect(router().hasService("sma.v1.Orders"))
    }

    @Test("re-registering a method replaces it")
    func replace() {
        var router = router()
        router.registerBidirectionalStreaming(MethodDescriptor(service: "sma.v1.Orders", method: "Get")) { (_: RPCInbound<RawMessage>, _: RPCWriter<RawMessage>, _) in }
        #expect(router.lookup(path: "/sma.v1.Orders/Get")?.kind == .bidirectionalStreaming)
        #expect(router.methods.count == 3)
    }
}
