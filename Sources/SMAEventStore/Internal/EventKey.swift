import Foundation

/// An event id as an index key: two integers and a cheap hash.
///
/// The event-id index is consulted and extended for every appended event on the writer thread;
/// with `UUID` keys, SipHash seeding and byte-wise hashing were a fifth of the writer's CPU. Ids
/// are random or derived from a hash, so a multiply-xor of their halves spreads well; mixing in
/// the dictionary's per-instance seed keeps crafted collisions from being portable.
struct EventKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(_ id: UUID) {
        (high, low) = withUnsafeBytes(of: id.uuid) { bytes in
            (bytes.loadUnaligned(as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    var uuid: UUID {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { bytes in
            bytes.storeBytes(of: high, as: UInt64.self)
            bytes.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: value)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }

    // Dictionary hashes keys through this entry point; answering it directly skips SipHash.
    func _rawHashValue(seed: Int) -> Int {
        var x = high ^ UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15
        x ^= low &* 0xC2B2_AE3D_27D4_EB4F
        x ^= x >> 29
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return Int(truncatingIfNeeded: x)
    }
}
