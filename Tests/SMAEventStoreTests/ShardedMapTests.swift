import Foundation
@testable import SMAEventStore
import Testing

@Suite("ShardedMap and ChunkedArray: the index's growable maps")
struct ShardedMapTests {
    @Test("a map keeps every entry across the split into shards: lookup, default-modify, overwrite, remove, iterate")
    func splitKeepsEntries() {
        var map = ShardedMap<HashedString, [UInt64]>()
        let total = ShardedMap<HashedString, [UInt64]>.splitThreshold + 5_000
        for i in 0..<total { map.modify(HashedString("stream-\(i)"), default: []) { $0.append(UInt64(i)) } }
        for i in stride(from: 0, to: total, by: 7) { map.modify(HashedString("stream-\(i)"), default: []) { $0.append(UInt64(i) + 1) } }
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

    @Test("modify changes an existing value in place and inserts the default for a new key, before and after the split")
    func modifyInPlace() {
        var map = ShardedMap<HashedString, [UInt64]>()
        map.modify(HashedString("a"), default: [0]) { $0.append(1) }
        #expect(map[HashedString("a")] == [0, 1] && map.count == 1)
        map.modify(HashedString("a"), default: [0]) { $0.append(2) }
        #expect(map[HashedString("a")] == [0, 1, 2] && map.count == 1)
        let total = ShardedMap<HashedString, [UInt64]>.splitThreshold + 10
        for i in 0..<total { map.modify(HashedString("s-\(i)"), default: []) { $0.append(UInt64(i)) } }
        #expect(map.count == total + 1)
        for i in stride(from: 0, to: total, by: 1_000) {
            map.modify(HashedString("s-\(i)"), default: []) { $0.append(UInt64(i) + 1) }
            #expect(map[HashedString("s-\(i)")] == [UInt64(i), UInt64(i) + 1])
        }
        map.modify(HashedString("new-after-split"), default: [7]) { $0.append(8) }
        #expect(map[HashedString("new-after-split")] == [7, 8] && map.count == total + 2)
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

@Suite("Index checkpoints at scale: past the shard split and across location chunks")
struct IndexCheckpointScaleTests {
    /// 140,000 events, each its own stream and command: every map splits into shards.
    static func bigIndex() -> (StoreIndex, [UUID]) {
        var index = StoreIndex()
        var ids: [UUID] = []
        for i in 0..<140_000 {
            let id = UUID()
            ids.append(id)
            index.add(position: UInt64(i) + 1, location: StoreIndex.location(segment: i / 70_000, offset: UInt64(i % 70_000) * 64),
                      stream: StreamID("s-\(i)"), eventID: id, commandID: "c-\(i)")
        }
        return (index, ids)
    }

    static func expectSame(_ index: StoreIndex, _ ids: [UUID]) {
        #expect(index.head == 140_000)
        #expect(index.streams.count == 140_000)
        #expect(index.eventIDs.count == 140_000)
        #expect(index.commandIDs.count == 140_000)
        for i in [0, 69_999, 70_000, 131_071, 131_072, 139_999] {
            #expect(index.eventIDs[EventKey(ids[i])] == UInt64(i) + 1)
            #expect(index.commandIDs[HashedString("c-\(i)")] == UInt64(i) + 1)
            #expect(index.version(of: StreamID("s-\(i)")) == 1)
            #expect(index.location(of: UInt64(i) + 1)?.segment == i / 70_000)
            #expect(index.location(of: UInt64(i) + 1)?.offset == UInt64(i % 70_000) * 64)
        }
    }

    @Test("a snapshot of a split index decodes to the same index")
    func snapshotRoundTrip() throws {
        let (index, ids) = Self.bigIndex()
        let bytes = Checkpoint(index: index, segments: [.init(firstPosition: 1, length: 1), .init(firstPosition: 70_001, length: 1)]).encoded()
        let decoded = try #require(bytes.withUnsafeBytes { Checkpoint.decode($0) })
        Self.expectSame(decoded.index, ids)
    }

    @Test("a delta of 140,000 entries applies to an empty index")
    func deltaRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (index, ids) = Self.bigIndex()
        var delta = IndexDelta(first: 1)
        for i in 0..<140_000 {
            let location = index.location(of: UInt64(i) + 1)!
            delta.add(location: StoreIndex.location(segment: location.segment, offset: location.offset), stream: StreamID("s-\(i)"),
                      eventID: ids[i], commandID: "c-\(i)")
        }
        try delta.write(segments: [.init(firstPosition: 1, length: 1)], directory: directory.path)
        let loaded = try #require(Checkpoint.load(directory: directory.path).checkpoint)
        Self.expectSame(loaded.index, ids)
    }
}
