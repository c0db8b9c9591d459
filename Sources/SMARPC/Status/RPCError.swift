/// The one error type of an RPC: a gRPC status code, a message for the caller, and optional trailers.
///
/// Every error a handler throws reaches the client as an `RPCError`: errors conforming to
/// ``RPCErrorConvertible`` convert themselves, anything else becomes `UNKNOWN`
/// (see ``RPCError/init(converting:)`` — the single place where errors map to gRPC status).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The gRPC status code.
    public var code: Code
    /// A human-readable message, sent percent-encoded as `grpc-message`.
    public var message: String
    /// Extra trailers sent with the status (e.g. `grpc-status-details-bin`).
    public var metadata: Metadata

    public init(code: Code, message: String, metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    /// Maps any error to an `RPCError`: the one place where errors become gRPC statuses.
    public init(converting error: any Error) {
        switch error {
        case let rpc as RPCError:
            self = rpc
        case let convertible as any RPCErrorConvertible:
            self = convertible.rpcError
        case is CancellationError:
            self.init(code: .cancelled, message: "The call was cancelled")
        default:
            self.init(code: .unknown, message: "Unexpected server error: \(error)")
        }
    }

    public var description: String { "\(code) (\(code.rawValue)): \(message)" }
}

/// An error that knows its gRPC status: domain and infrastructure errors conform to this.
public protocol RPCErrorConvertible: Error {
    /// The status the caller receives for this error.
    var rpcError: RPCError { get }
}

extension RPCError {
    /// gRPC status codes (grpc/grpc doc/statuscodes.md).
    public enum Code: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case ok = 0
        case cancelled = 1
        case unknown = 2
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case alreadyExists = 6
        case permissionDenied = 7
        case resourceExhausted = 8
        case failedPrecondition = 9
        case aborted = 10
        case outOfRange = 11
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case dataLoss = 15
        case unauthenticated = 16

        public var description: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internal: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }
    }
}
