/// Append latencies in microseconds, counted in log-linear buckets: exact below 1,024 µs, then 64
/// buckets per power of two (at most 1.6% wide). Fixed size (19 KiB), so recording one latency is
/// an increment — no array that grows and page-faults while the benchmark measures, and no sort
/// of millions of values before the rate is taken.
struct LatencyHistogram {
    private static let exactLimit: UInt64 = 1024  // 2^10
    private static let subBucketBits = 6
    private static let subBuckets = 1 << subBucketBits
    private static let bucketCount = Int(exactLimit) + (64 - 10) * subBuckets
    private var counts = [UInt32](repeating: 0, count: bucketCount)
    /// The number of latencies recorded.
    private(set) var total = 0
    /// The largest latency recorded (exact).
    private(set) var maximum: UInt64 = 0

    init() {}

    mutating func record(_ micros: UInt64) {
        counts[Self.bucket(of: micros)] &+= 1
        total += 1
        if micros > maximum { maximum = micros }
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        total += other.total
        maximum = max(maximum, other.maximum)
    }

    /// The smallest bucket bound below which at least `fraction` of the latencies lie (µs).
    func percentile(_ fraction: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = max(1, Int((Double(total) * fraction).rounded(.up)))
        var seen = 0
        for index in counts.indices {
            seen += Int(counts[index])
            if seen >= rank { return min(Self.upperBound(of: index), maximum) }
        }
        return maximum
    }

    static func bucket(of micros: UInt64) -> Int {
        if micros < exactLimit { return Int(micros) }
        let exponent = 63 - micros.leadingZeroBitCount  // ≥ 10
        let sub = Int((micros >> UInt64(exponent - subBucketBits)) & UInt64(subBuckets - 1))
        return Int(exactLimit) + (exponent - 10) * subBuckets + sub
    }

    /// The largest value that falls into bucket `index`.
    static func upperBound(of index: Int) -> UInt64 {
        if index < Int(exactLimit) { return UInt64(index) }
        let exponent = (index - Int(exactLimit)) / subBuckets + 10
        let sub = UInt64((index - Int(exactLimit)) % subBuckets)
        let width = UInt64(1) << UInt64(exponent - subBucketBits)
        let lower = (UInt64(1) << UInt64(exponent)) + sub * width
        return (lower &+ width) &- 1  // wraps to UInt64.max for the last bucket
    }
}
