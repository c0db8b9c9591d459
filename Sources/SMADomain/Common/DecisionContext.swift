/// Everything a decision needs besides the command and the state: who asks, and when.
///
/// The wire layer builds it per request from the RPC context and an injected clock, so
/// decisions stay pure and tests control time.
public struct DecisionContext: Hashable, Sendable {
    /// Who issued the command.
    public var caller: Caller
    /// The current time, read once from the injected clock.
    public var now: Timestamp

    /// Creates a context.
    public init(caller: Caller, now: Timestamp) {
        self.caller = caller
        self.now = now
    }

    /// Creates a context reading the time from `clock`.
    public init(caller: Caller, clock: () -> Timestamp) {
        self.init(caller: caller, now: clock())
    }
}
