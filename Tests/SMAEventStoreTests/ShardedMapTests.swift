import Foundation
@testable import SMAEventStore
import Testing

@Suite("ShardedMap and ChunkedArray: the index's growable maps")
struct ShardedMapTests {
    @Test("a map keeps every entry across the split into shards: lookup, default-modify, overwrite, remove, iterate")
    func splitKeepsEntries() {
        var map = ShardedMap<HashedString, [UInt64]>()
        let total = ShardedMap<HashedString, [UInt64]>.splitThreshold + 5_000
        for i in 0..<total { map[HashedString("stream-\(i)"), default: []].append(UInt64(i)) }
        for i in stride(from: 0, to: total, by: 7) { map[HashedString("stream-\(i)"), default: []].append(UInt64(i) + 1) }
        #expect(map.count == total)
        for i in [0, 1, 7, 4_096, total / 2, total - 1] {
            let expected = i % 7 == 0 ? [UInt64(i), UInt64(i) + 1] : [UInt64(i)]
            #expect(map[HashedString("stream-\(i)")] == expected)
        }
        #expect(map[HashedString("absent")] == nil)
        map[HashedString("stream-3")] = nil
        map[HashedString("stream-3")] = nil
        #expect(map.count == total - 1)
        map[HashedString("stream-4")] = [42]
        #expect(map[HashedString("stream-4")] == [42])
        #expect(map.count == total - 1)
        var seen = 0
        map.forEach { _, _ in seen += 1 }
        #expect(seen == total - 1)
    }

    @Test("reserving a large capacity up front splits at once and keeps earlier entries")
    func reserveSplits() {
        var map = ShardedMap<EventKey, UInt64>()
        let ids = (0..<1_000).map { _ in UUID() }
        for (i, id) in ids.enumerated() { map[EventKey(id)] = UInt64(i) }
        map.reserveCapacity(ShardedMap<EventKey, UInt64>.splitThreshold * 2)
        for (i, id) in ids.enumerated() { #expect(map[EventKey(id)] == UInt64(i)) }
        #expect(map.count == 1_000)
    }

    @Test("a chunked array reads back what was appended, across chunk boundaries and from an array")
    func chunkedArray() {
        var array = ChunkedArray()
        for i in 0..<200_000 { array.append(UInt64(i) * 3) }
        #expect(array.count == 200_000)
        for i in [0, 65_535, 65_536, 131_072, 199_999] { #expect(array[i] == UInt64(i) * 3) }
        let copy = ChunkedArray((0..<70_000).map { UInt64($0) })
        #expect(copy.count == 70_000)
        #expect(copy[69_999] == 69_999)
        var flattened: [UInt64] = []
        copy.forEachChunk { flattened += $0 }
        #expect(flattened == (0..<70_000).map { UInt64($0) })
    }
}
