import SMADomain
import SMAEventStore

/// Why a command failed: the domain refused it, the version did not match, or the store failed.
public enum CommandError: Error, Sendable {
    /// The domain refused the command.
    case domain(DomainError)
    /// The client's expected version did not match; carries the stream's current version.
    case versionConflict(stream: String, expected: UInt64, current: UInt64)
    /// Concurrent writers kept winning; the command was retried this many times.
    case contention(stream: String, attempts: Int)
    /// A stored event could not be read back (corruption or an unknown event type).
    case unreadableEvent(stream: String, eventType: String, reason: String)
    /// A request field is missing or malformed before the domain sees it.
    case invalidRequest(field: String, reason: String)
    /// The event store failed.
    case store(EventStoreError)
}
