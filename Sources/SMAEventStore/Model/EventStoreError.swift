import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong in the event store; each case carries the data a caller needs.
public enum EventStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stream's version did not match the append's expectation (maps to gRPC ABORTED).
    case wrongExpectedVersion(stream: StreamID, expected: ExpectedVersion, current: UInt64)
    /// An event id of the append was already stored by a different append.
    case duplicateEventID(eventID: UUID, position: LogPosition)
    /// The append itself is malformed (no events, invalid stream id, oversized event…).
    case invalidAppend(reason: String)
    /// A stored record or file is damaged; `offset` is the byte offset inside `file`.
    case corrupt(file: String, offset: UInt64, reason: String)
    /// Another process (or another open store) holds the data directory's lock.
    case locked(path: String)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The store has been closed, or failed and stopped accepting writes.
    case closed(reason: String)

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(stream, expected, current):
            return "Wrong expected version for stream '\(stream)': expected \(expected), current version is \(current)"
        case let .duplicateEventID(eventID, position):
            return "Event id \(eventID) was already appended at position \(position) by a different append"
        case let .invalidAppend(reason):
            return "Invalid append: \(reason)"
        case let .corrupt(file, offset, reason):
            return "Corrupt event store file \(file) at offset \(offset): \(reason)"
        case let .locked(path):
            return "The event store directory is locked by another process or store: \(path)"
        case let .io(operation, path, code):
            return "\(operation) failed for \(path): \(String(cString: strerror(code))) (errno \(code))"
        case let .closed(reason):
            return "The event store is closed: \(reason)"
        }
    }
}
