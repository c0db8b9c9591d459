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
    public static func instant(of nanoseconds: UInt64) -> ContinuousClock.Instant {
        ContinuousClock.now.advanced(by: .nanoseconds(Int64(bitPattern: nanoseconds &- now)))
    }

    /// The monotonic time of `instant`.
    public static func nanoseconds(of instant: ContinuousClock.Instant) -> UInt64 {
        let offset = ContinuousClock.now.duration(to: instant).components
        let nanos = offset.seconds &* 1_000_000_000 &+ offset.attoseconds / 1_000_000_000
        return UInt64(clamping: Int64(clamping: now) &+ nanos)
    }
}
