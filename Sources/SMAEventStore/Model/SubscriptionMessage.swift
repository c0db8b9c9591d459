/// What a subscription yields: events in log order, and a marker each time it has caught up.
public enum SubscriptionMessage: Hashable, Sendable {
    /// The next event.
    case event(RecordedEvent)
    /// Every event up to this log position has been delivered; what follows is live.
    case caughtUp(LogPosition)
}
