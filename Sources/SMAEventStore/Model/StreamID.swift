/// The identifier of one event stream, e.g. `vehicle-7f3a…` or `workorder-42`.
///
/// A stream id is a non-empty UTF-8 string of at most ``StreamID/maxUTF8Length`` bytes.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The longest stream id accepted, in UTF-8 bytes.
    public static let maxUTF8Length = 1024

    /// The stream id as text.
    public let rawValue: String

    /// Wraps a string as a stream id; validation happens when it is used in an append.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether this id can be stored: non-empty and not longer than ``maxUTF8Length`` bytes.
    var isValid: Bool {
        let count = rawValue.utf8.count
        return count > 0 && count <= StreamID.maxUTF8Length
    }
}
