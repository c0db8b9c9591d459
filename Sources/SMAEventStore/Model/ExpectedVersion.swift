/// The stream version an append expects to find, for optimistic concurrency.
///
/// Stream versions count events: the first event of a stream has version 1, and a stream's
/// current version is the version of its last event (0 when the stream has no events).
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream's version is.
    case any
    /// Append only if the stream has no events yet (current version 0).
    case noStream
    /// Append only if the stream's current version is exactly this (its last event's version).
    case exact(UInt64)

    /// Whether a stream at `current` satisfies this expectation.
    func isSatisfied(byCurrent current: UInt64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return current == 0
        case .exact(let version): return current == version
        }
    }

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no stream"
        case .exact(let version): return "version \(version)"
        }
    }
}
