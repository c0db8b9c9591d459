/// One accepted call as the RPC core sees it: context, request and response sink.
public struct ServerCall: Sendable {
    /// How the request messages arrive.
    public enum Request: Sendable {
        /// The whole request of a unary or server-streaming call (exactly one message).
        case single([UInt8])
        /// The message stream of a client-streaming or bidirectional call.
        case stream(InboundMessageQueue)

        @usableFromInline
        var single: [UInt8] {
            get throws(RPCError) {
                guard case .single(let bytes) = self else {
                    throw RPCError(code: .internal, message: "Expected a single request message")
                }
                return bytes
            }
        }

        var queue: InboundMessageQueue {
            get throws(RPCError) {
                guard case .stream(let queue) = self else {
                    throw RPCError(code: .internal, message: "Expected a request stream")
                }
                return queue
            }
        }
    }

    public let context: ServerContext
    public let request: Request
    public let sink: any ServerCallSink

    public init(context: ServerContext, request: Request, sink: any ServerCallSink) {
        self.context = context
        self.request = request
        self.sink = sink
    }
}
