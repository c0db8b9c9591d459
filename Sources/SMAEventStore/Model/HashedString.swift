/// A string dictionary key that carries its hash, computed once.
///
/// The store index's big dictionaries (stream ids, command ids) are probed on every append,
/// and the application's state cache on every command. Swift's
/// `Dictionary` stores no hashes: each probed bucket costs a `String ==` that chases the stored
/// key's heap bytes. Comparing the cached hash first turns nearly every such probe into one
/// integer compare, and a key is hashed once however many tables it is looked up in.
///
/// The hash is Swift's `Hasher` (SipHash with a per-process random seed), so clients choosing
/// ids (command ids, VINs) cannot aim for collisions; it is never stored on disk.
public struct HashedString: Hashable, Sendable {
    public let hash: Int
    public let value: String

    public init(_ value: String) {
        var hasher = Hasher()
        hasher.combine(value)
        self.hash = hasher.finalize()
        self.value = value
    }

    public init(_ stream: StreamID) {
        self.init(stream.rawValue)
    }

    public static func == (lhs: HashedString, rhs: HashedString) -> Bool {
        lhs.hash == rhs.hash && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    // Dictionary hashes keys through this entry point: mix the cached hash with the table's
    // seed (tables differ in bucket order) instead of running SipHash again.
    public func _rawHashValue(seed: Int) -> Int {
        var x = UInt64(bitPattern: Int64(hash)) ^ UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return Int(truncatingIfNeeded: x)
    }
}
