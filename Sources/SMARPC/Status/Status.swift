/// The outcome of a call as sent in trailers: a code and a message.
public struct Status: Sendable, Hashable {
    public var code: RPCError.Code
    public var message: String

    public init(code: RPCError.Code, message: String = "") {
        self.code = code
        self.message = message
    }

    /// A successful call.
    public static let ok = Status(code: .ok)
}
