/// What a subscription follows: the filtered `$all`, or one stream.
enum SubscriptionTarget: Sendable {
    case all(EventFilter)
    case stream(StreamID)
}
