/// The outcome of a successful append: where its events landed.
///
/// An idempotent retry returns the result of the original append.
public struct AppendResult: Hashable, Sendable {
    /// The position of the append's first event.
    public var firstPosition: LogPosition
    /// The position of the append's last event.
    public var lastPosition: LogPosition
    /// The stream's version after the append (the version of its last event).
    public var nextExpectedVersion: UInt64
    /// The stream appended to, when known (set by ``EventStore/appendResult(forCommand:)``).
    public var stream: StreamID?
    /// True when this append wrote nothing because the store recognised it as a retry (same
    /// event ids or command id): the positions and version are the original append's.
    public var deduplicated = false

    public init(firstPosition: LogPosition, lastPosition: LogPosition, nextExpectedVersion: UInt64, stream: StreamID? = nil) {
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.nextExpectedVersion = nextExpectedVersion
        self.stream = stream
    }
}
