@testable import SMAApplication
import SMAEventStore
import Testing

@Suite("StateCache: two generations, never going back")
struct StateCacheTests {
    typealias Cache = StateCache<String>

    static func key(_ name: String) -> HashedString { HashedString(name) }
    static func put(_ cache: Cache, _ name: String, _ version: UInt64) { cache.put(key(name), .init(version: version, state: name + "@\(version)")) }
    static func version(_ cache: Cache, _ name: String) -> UInt64? { cache.get(key(name))?.version }

    @Test("when full, the older generation is dropped; entries used since the last rotation survive it")
    func generations() {
        let cache = Cache(capacity: 4)  // two generations of two
        Self.put(cache, "a", 1)
        Self.put(cache, "b", 1)
        Self.put(cache, "c", 1)          // rotates: previous {a, b}, current {c}
        #expect(Self.version(cache, "a") == 1)  // found in previous, moved to current {c, a}
        Self.put(cache, "d", 1)          // rotates: previous {c, a}, current {d}; b is dropped
        #expect(Self.version(cache, "b") == nil)
        #expect(Self.version(cache, "a") == 1)
        #expect(Self.version(cache, "c") == 1)
        #expect(Self.version(cache, "d") == 1)
    }

    @Test("an older state never replaces a newer one, in either generation; remove clears both")
    func neverGoesBack() {
        let cache = Cache(capacity: 4)
        Self.put(cache, "x", 5)
        Self.put(cache, "x", 3)
        #expect(Self.version(cache, "x") == 5)
        Self.put(cache, "y", 1)
        Self.put(cache, "z", 1)          // rotates: x is in previous now
        Self.put(cache, "x", 4)
        #expect(Self.version(cache, "x") == 5)
        #expect(cache.get(Self.key("x"))?.state == "x@5")
        Self.put(cache, "x", 6)
        #expect(Self.version(cache, "x") == 6)
        cache.remove(Self.key("x"))
        #expect(Self.version(cache, "x") == nil)
    }

    @Test("an update through a slot never goes back, follows the entry across a rotation, and is harmless once removed")
    func slots() throws {
        let cache = Cache(capacity: 4)
        Self.put(cache, "x", 1)
        let slot = try #require(cache.getWithSlot(Self.key("x"))).slot
        cache.update(slot, .init(version: 2, state: "x@2"))
        #expect(cache.get(Self.key("x"))?.state == "x@2")
        cache.update(slot, .init(version: 1, state: "x@1"))
        #expect(Self.version(cache, "x") == 2)
        Self.put(cache, "y", 1)
        Self.put(cache, "z", 1)          // rotates: x is in previous now
        cache.update(slot, .init(version: 3, state: "x@3"))
        #expect(cache.get(Self.key("x"))?.state == "x@3")  // found in previous, moved back
        cache.remove(Self.key("x"))
        cache.update(slot, .init(version: 4, state: "x@4"))
        #expect(Self.version(cache, "x") == nil)
        Self.put(cache, "x", 4)          // a fresh slot (as after a reload from the log)
        cache.update(slot, .init(version: 5, state: "x@5"))
        #expect(Self.version(cache, "x") == 4)
    }
}
