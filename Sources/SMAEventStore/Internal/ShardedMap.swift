/// A key that picks its shard of a ``ShardedMap`` from bits its hash does not otherwise use.
protocol ShardedKey: Hashable, Sendable {
    /// Any well-mixed bits of the key; the map uses the top ones.
    var shardBits: UInt64 { get }
}

/// A hash map that splits into 256 independent `Dictionary` shards once it is large.
///
/// The store's index maps grow with the log, on the writer thread. A single `Dictionary` that
/// doubles rehashes every entry at once: measured here, 0.1 s at 400k entries, 1.1 s at 3M and
/// 4.5 s at 6M — a stall of every append. A shard holds 1/256 of the entries, so it resizes 256
/// times less work at a time (and the shards do so at different moments). Small maps stay one
/// dictionary: a shard's storage header is one more cache line per lookup, which cost 3-6% of a
/// command while the maps were small; above `splitThreshold` entries that is noise next to the
/// cache miss of the lookup itself, and the one-time split costs about one ordinary resize.
struct ShardedMap<Key: ShardedKey, Value: Sendable>: Sendable {
    private static var shardShift: UInt64 { 56 }  // 64 - log2(256)
    static var splitThreshold: Int { 1 << 17 }
    private var single: [Key: Value] = [:]
    /// Empty until the map splits; then it holds everything and `single` is empty.
    private var shards: [[Key: Value]] = []
    /// The number of entries.
    private(set) var count = 0

    init() {}

    private static func shard(of key: Key) -> Int {
        Int(truncatingIfNeeded: key.shardBits >> shardShift)
    }

    private mutating func splitIfLarge() {
        guard shards.isEmpty, count >= Self.splitThreshold else { return }
        split(reservingPerShard: count / (1 << (64 - Int(Self.shardShift))) * 2)
    }

    /// Moves every entry of `single` into freshly reserved shards (once, when the map grows large).
    private mutating func split(reservingPerShard perShard: Int) {
        var split = Array(repeating: [Key: Value](), count: 1 << (64 - Int(Self.shardShift)))
        for index in split.indices { split[index].reserveCapacity(perShard) }
        for (key, value) in single { split[Self.shard(of: key)][key] = value }
        single = [:]
        shards = split
    }

    subscript(key: Key) -> Value? {
        get { shards.isEmpty ? single[key] : shards[Self.shard(of: key)][key] }
        set {
            if shards.isEmpty {
                if let newValue {
                    if single.updateValue(newValue, forKey: key) == nil { count += 1; splitIfLarge() }
                } else if single.removeValue(forKey: key) != nil {
                    count -= 1
                }
                return
            }
            let shard = Self.shard(of: key)
            if let newValue {
                if shards[shard].updateValue(newValue, forKey: key) == nil { count += 1 }
            } else if shards[shard].removeValue(forKey: key) != nil {
                count -= 1
            }
        }
    }

    /// `body` applied to the value for `key` in place (no copy of the value: for a value that
    /// is an array, no retain of its storage), or nil if there is none.
    func withValue<R>(for key: Key, _ body: (borrowing Value) -> R) -> R? {
        if shards.isEmpty {
            guard let index = single.index(forKey: key) else { return nil }
            return body(single.values[index])
        }
        let shard = Self.shard(of: key)
        guard let index = shards[shard].index(forKey: key) else { return nil }
        return body(shards[shard].values[index])
    }

    /// Applies `body` to the value for `key` in place, starting from `defaultValue` when there is
    /// none. (Not a `subscript(key:default:)`: passed through a `_modify` coroutine, that accessor's
    /// autoclosure was boxed on the heap on every call — an allocation per appended event.)
    mutating func modify(_ key: Key, default defaultValue: @autoclosure () -> Value, _ body: (inout Value) -> Void) {
        if shards.isEmpty {
            if let index = single.index(forKey: key) {
                body(&single.values[index])
                return
            }
        } else {
            let shard = Self.shard(of: key)
            if let index = shards[shard].index(forKey: key) {
                body(&shards[shard].values[index])
                return
            }
        }
        var value = defaultValue()
        body(&value)
        self[key] = value
    }

    /// Reserves room for `total` entries (split at once if that is large).
    mutating func reserveCapacity(_ total: Int) {
        if shards.isEmpty && total < Self.splitThreshold {
            single.reserveCapacity(total)
            return
        }
        let shardCount = 1 << (64 - Int(Self.shardShift))
        let perShard = total / shardCount + total / shardCount / 8 + 1
        if shards.isEmpty {
            split(reservingPerShard: perShard)
        } else {
            for shard in shards.indices { shards[shard].reserveCapacity(perShard) }
        }
    }

    /// Calls `body` with every entry (in no particular order).
    func forEach(_ body: (Key, Value) throws -> Void) rethrows {
        for (key, value) in single { try body(key, value) }
        for shard in shards {
            for (key, value) in shard { try body(key, value) }
        }
    }
}

extension HashedString: ShardedKey {
    var shardBits: UInt64 { UInt64(bitPattern: Int64(hash)) }
}

extension EventKey: ShardedKey {
    var shardBits: UInt64 { (high ^ low) &* 0x9E37_79B9_7F4A_7C15 }
}

/// An append-only array of `UInt64` in fixed chunks of 65,536: appending never copies what is
/// already stored (a plain array doubling at 10M entries copies 80 MB on the writer thread).
struct ChunkedArray: Sendable {
    private static let chunkShift = 16
    private static let chunkMask = (1 << chunkShift) - 1
    private var chunks: [[UInt64]] = []
    /// The number of values.
    private(set) var count = 0

    init() {}

    /// An array holding `values`.
    init(_ values: [UInt64]) {
        var start = 0
        while start < values.count {
            let end = min(start + (1 << Self.chunkShift), values.count)
            var chunk = Array(values[start..<end])
            chunk.reserveCapacity(1 << Self.chunkShift)
            chunks.append(chunk)
            start = end
        }
        count = values.count
    }

    subscript(index: Int) -> UInt64 {
        chunks[index >> Self.chunkShift][index & Self.chunkMask]
    }

    mutating func append(_ value: UInt64) {
        if count & Self.chunkMask == 0 {
            var chunk: [UInt64] = []
            chunk.reserveCapacity(1 << Self.chunkShift)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(value)
        count += 1
    }

    /// Calls `body` with each chunk's values in order.
    func forEachChunk(_ body: ([UInt64]) throws -> Void) rethrows {
        for chunk in chunks { try body(chunk) }
    }
}
