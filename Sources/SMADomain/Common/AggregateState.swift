/// The state of one aggregate, rebuilt by folding its stream's events with ``evolve(_:_:)``.
public protocol AggregateState: Hashable, Sendable {
    /// The aggregate's event type.
    associatedtype Event: DomainEvent

    /// The state after `event`.
    ///
    /// Returns `nil` only for a stream that does not start with a creation event (a corrupt or
    /// foreign stream); such events are ignored rather than trapping.
    static func evolve(_ state: Self?, _ event: Event) -> Self?
}

extension AggregateState {
    /// Folds `events` onto `initial` (nil for a new stream).
    public static func replay(_ events: some Sequence<Event>, from initial: Self? = nil) -> Self? {
        var state = initial
        for event in events {
            state = evolve(state, event)
        }
        return state
    }

    /// Folds `events` onto `state` — what a decision's events do to the state it decided on.
    public static func applying(_ events: [Event], to state: Self?) -> Self? {
        replay(events, from: state)
    }
}
