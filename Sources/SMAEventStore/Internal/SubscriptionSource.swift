/// A store that can feed ``EventSubscription``: pages of events and a way to wait for new ones.
protocol SubscriptionSource: Sendable {
    /// Reads up to `maxCount` events of `target` starting at `from` (position or stream version).
    func subscriptionPage(_ target: SubscriptionTarget, from: UInt64, maxCount: Int) throws(EventStoreError) -> SubscriptionPage
    /// Suspends until the log head moves beyond `position`.
    func waitForHead(beyond position: UInt64) async -> HeadNotifier.Outcome
}
