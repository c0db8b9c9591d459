import SMARPC
import Testing

@Suite("MonotonicClock: the call path's time")
struct MonotonicClockTests {
    @Test("deadlines saturate instead of overflowing")
    func saturatingAfter() {
        #expect(MonotonicClock.after(5, from: 10) == 15)
        #expect(MonotonicClock.after(.max, from: 10) == .max)
        #expect(MonotonicClock.after(0, from: .max) == .max)
    }

    @Test("ContinuousClock instants convert both ways to within a millisecond")
    func conversions() {
        let inOneMinute = ContinuousClock.now + .seconds(60)
        let nanos = MonotonicClock.nanoseconds(of: inOneMinute)
        let ahead = Int64(bitPattern: nanos &- MonotonicClock.now)
        #expect(abs(ahead - 60_000_000_000) < 1_000_000)
        let back = MonotonicClock.instant(of: nanos)
        #expect(abs((back - inOneMinute) / .nanoseconds(1)) < 1_000_000)
        // A saturated deadline (a huge grpc-timeout) is far ahead, not wrapped into the past.
        #expect(MonotonicClock.instant(of: .max) > ContinuousClock.now + .seconds(100 * 365 * 86_400))
        #expect(MonotonicClock.nanoseconds(of: ContinuousClock.now + .seconds(Int64.max / 2)) == .max)
        #expect(MonotonicClock.nanoseconds(of: ContinuousClock.now - .seconds(Int64.max / 2)) == 0)
    }

    @Test("a context reports its deadline and elapsed time from monotonic nanoseconds")
    func context() {
        let now = MonotonicClock.now
        func context(deadline: UInt64?) -> ServerContext {
            ServerContext(method: MethodDescriptor(service: "s", method: "m"), peer: "test", deadlineNanoseconds: deadline,
                          rawHeaders: RawHeaderBlock(), requestCompression: nil, responseCompression: nil,
                          startNanoseconds: now &- 2_000_000)
        }
        #expect(!context(deadline: nil).deadlineHasPassed)
        #expect(context(deadline: nil).deadline == nil)
        #expect(context(deadline: now &- 1).deadlineHasPassed)
        #expect(!context(deadline: now &+ 60_000_000_000).deadlineHasPassed)
        #expect(context(deadline: nil).elapsed >= .milliseconds(2))
        let legacy = ServerContext(method: MethodDescriptor(service: "s", method: "m"), peer: "test", deadline: .now - .milliseconds(1),
                                   rawHeaders: RawHeaderBlock(), requestCompression: nil, responseCompression: nil)
        #expect(legacy.deadlineHasPassed)
    }
}
