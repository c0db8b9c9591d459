import Glibc

/// Nanoseconds on the system's monotonic clock (`CLOCK_MONOTONIC`): the transport's and the
/// call path's time. A plain integer, where `ContinuousClock.Instant` is a resilient type whose
/// every copy and comparison goes through runtime metadata and value witnesses (1-2% of a unary
/// call's CPU when each call carried two of them).
public enum MonotonicClock {
    public static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// `now + nanoseconds`, saturating (a `grpc-timeout` may be up to 99,999,999 hours).
    public static func after(_ nanoseconds: UInt64, from start: UInt64) -> UInt64 {
        let (sum, overflow) = start.addingReportingOverflow(nanoseconds)
        return overflow ? .max : sum
    }

    /// The `ContinuousClock` instant of monotonic time `nanoseconds` (for APIs that take one).
    /// A saturated deadline (`UInt64.max`) stays centuries ahead, never wraps into the past.
    public static func instant(of nanoseconds: UInt64) -> ContinuousClock.Instant {
        let current = now
        let offset = nanoseconds >= current ? Int64(clamping: nanoseconds - current) : -Int64(clamping: current - nanoseconds)
        return ContinuousClock.now.advanced(by: .nanoseconds(offset))
    }

    /// The monotonic time of `instant`, saturating at 0 and `UInt64.max`.
    public static func nanoseconds(of instant: ContinuousClock.Instant) -> UInt64 {
        let offset = ContinuousClock.now.duration(to: instant).components
        let (seconds, overflow) = offset.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let nanos = overflow ? (offset.seconds < 0 ? Int64.min : Int64.max)
            : seconds.addingReportingOverflow(offset.attoseconds / 1_000_000_000).partialValue
        let (sum, sumOverflow) = Int64(clamping: now).addingReportingOverflow(nanos)
        return sumOverflow ? (nanos < 0 ? 0 : .max) : UInt64(clamping: sum)
    }
}
