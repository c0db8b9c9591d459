import Synchronization

/// A token bucket for log lines: ``admit()`` says whether a line may be written now and, if so,
/// how many were held back since the last one.
public final class LogRateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
        var suppressed = 0
    }

    private let burst: Double
    private let perSecond: Double
    private let state: Mutex<State>

    public init(burst: Int, perSecond: Int) {
        self.burst = Double(max(1, burst))
        self.perSecond = Double(max(0, perSecond))
        self.state = Mutex(State(tokens: Double(max(1, burst)), refilledAt: .now))
    }

    /// The number of lines suppressed since the last admitted one if this line may be written,
    /// nil (and counted) if not.
    public func admit() -> Int? {
        let now = ContinuousClock.now
        return state.withLock { state -> Int? in
            let elapsed = now - state.refilledAt
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(burst, state.tokens + seconds * perSecond)
            state.refilledAt = now
            guard state.tokens >= 1 else {
                state.suppressed += 1
                return nil
            }
            state.tokens -= 1
            defer { state.suppressed = 0 }
            return state.suppressed
        }
    }
}
