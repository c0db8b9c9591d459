import SMARPC

/// The outcome of one unary call made with ``HTTP2ClientConnection``.
public struct GRPCClientResult: Sendable {
    /// The caller's tag, as given to ``HTTP2ClientConnection/startCall(_:tag:message:)``.
    public var tag: Int
    /// The call's gRPC status: from `grpc-status`, or derived from the HTTP status, the
    /// stream's reset code or a client-side deadline when the server sent none.
    public var code: RPCError.Code
    /// The status message (`grpc-message`, percent-decoded); empty when there is none.
    public var message: String
    /// The response message (unframed), when the connection collects responses.
    public var response: [UInt8]?
    /// From submitting the request to the end of the stream.
    public var latencyNanoseconds: UInt64
}
