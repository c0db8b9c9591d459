@testable import SMADomain

/// The ``DomainError`` `body` throws, or nil if it succeeds.
func refusal<T>(_ body: () throws -> T) -> DomainError? {
    do {
        _ = try body()
        return nil
    } catch let error as DomainError {
        return error
    } catch {
        return nil
    }
}

extension DomainError {
    /// The case, without its payload, for concise expectations.
    enum Kind: Equatable {
        case invalidArgument, notFound, alreadyExists, failedPrecondition, permissionDenied
    }

    /// The case of this error.
    var kind: Kind {
        switch self {
        case .invalidArgument: return .invalidArgument
        case .notFound: return .notFound
        case .alreadyExists: return .alreadyExists
        case .failedPrecondition: return .failedPrecondition
        case .permissionDenied: return .permissionDenied
        }
    }
}
