/// A page of `$all`: the matching events and where to continue.
public struct ReadAllSlice: Hashable, Sendable {
    /// The events that passed the filter, in log order.
    public var events: [RecordedEvent]
    /// The position to pass as `from:` to read the next page.
    public var nextPosition: LogPosition
    /// Whether the read reached the head of the log.
    public var isEndOfLog: Bool

    public init(events: [RecordedEvent], nextPosition: LogPosition, isEndOfLog: Bool) {
        self.events = events
        self.nextPosition = nextPosition
        self.isEndOfLog = isEndOfLog
    }
}
