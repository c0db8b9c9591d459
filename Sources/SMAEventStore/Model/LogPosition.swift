/// The global position of an event in the whole log (`$all`).
///
/// Positions are dense: the first event ever appended is at position 1, the next at 2, and so on.
/// ``LogPosition/none`` (0) means "before the first event"; it is the head of an empty store.
/// Every `from:` parameter taking a position is inclusive.
public struct LogPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The position number; 0 means no event.
    public let value: UInt64

    /// Wraps a raw position number.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// Before the first event: the head of an empty store.
    public static let none = LogPosition(0)
    /// The first event of the log.
    public static let start = LogPosition(1)

    /// The position right after this one: where to resume after having processed this event.
    public var next: LogPosition { LogPosition(value + 1) }

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool { lhs.value < rhs.value }

    public var description: String { String(value) }
}
