/// One page read for a subscription.
struct SubscriptionPage {
    /// The events read (already filtered), in order.
    var events: [RecordedEvent]
    /// Where the next page starts: a log position for `$all`, a stream version for a stream.
    var next: UInt64
    /// The log head when the page was read.
    var head: UInt64
    /// Whether the page reached the head (of the log, or of the stream).
    var reachedEnd: Bool
    /// Whether any event had to be read from disk (the subscription is not live).
    var fromDisk: Bool
}
