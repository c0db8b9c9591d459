import SMAApplication
import SMADomain

extension CommandError {
    /// The case, without its payload, for concise expectations.
    enum Kind: Equatable {
        case domain, versionConflict, contention, unreadableEvent, invalidRequest, store
    }

    /// The case of this error.
    var kind: Kind {
        switch self {
        case .domain: return .domain
        case .versionConflict: return .versionConflict
        case .contention: return .contention
        case .unreadableEvent: return .unreadableEvent
        case .invalidRequest: return .invalidRequest
        case .store: return .store
        }
    }

    /// The domain's refusal, if this is one.
    var refusal: DomainError? {
        if case .domain(let error) = self { return error }
        return nil
    }

    /// The event type an ``unreadableEvent(stream:eventType:reason:)`` names.
    var unreadableEventType: String? {
        if case .unreadableEvent(_, let eventType, _) = self { return eventType }
        return nil
    }
}

/// The ``CommandError`` `body` throws, or nil if it succeeds.
func commandError<T>(_ body: () async throws(CommandError) -> T) async -> CommandError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
