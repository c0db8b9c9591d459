import SMAApplication
import SMADomain
import SMAEventStore
import SMARPC

/// The one place where command failures become gRPC statuses.
extension CommandError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .domain(let error):
            return error.rpcError
        case .versionConflict(let stream, let expected, let current):
            var trailers = Metadata()
            trailers.add("sma-current-version", String(current))
            return RPCError(code: .aborted, message: "Version conflict on \(stream): expected version \(expected), current version is \(current); re-read and retry", metadata: trailers)
        case .contention(let stream, let attempts):
            return RPCError(code: .aborted, message: "Too many concurrent writers on \(stream) (\(attempts) attempts); retry later")
        case .unreadableEvent(let stream, let eventType, let reason):
            return RPCError(code: .dataLoss, message: "Stored event \(eventType) in \(stream.isEmpty ? "a stream" : stream) cannot be read: \(reason)")
        case .invalidRequest(let field, let reason):
            return RPCError(code: .invalidArgument, message: "\(field) \(reason)", metadata: BadRequestDetail.trailers(field: field, description: reason))
        case .store(let error):
            switch error {
            case .closed, .locked, .io:
                return RPCError(code: .unavailable, message: "The event store is unavailable: \(error)")
            default:
                return RPCError(code: .internal, message: "Event store error: \(error)")
            }
        }
    }
}

extension DomainError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .invalidArgument(let field, let reason):
            return RPCError(code: .invalidArgument, message: message, metadata: BadRequestDetail.trailers(field: field, description: reason))
        case .notFound: return RPCError(code: .notFound, message: message)
        case .alreadyExists: return RPCError(code: .alreadyExists, message: message)
        case .failedPrecondition: return RPCError(code: .failedPrecondition, message: message)
        case .permissionDenied: return RPCError(code: .permissionDenied, message: message)
        }
    }
}
