import Foundation
@testable import SMAEventStore
import Testing

@Suite("Incremental checkpoints: index deltas between snapshots")
struct IndexDeltaTests {
    /// Small segments and a delta every ~8 KiB of log; no snapshot at close unless asked.
    static let deltaOptions = FileEventStore.Options(segmentSize: 4 << 10, checkpointInterval: 8 << 10, checkpointOnClose: false)

    static func deltaFiles(_ directory: TemporaryDirectory) -> [UInt64] {
        IndexDelta.files(in: directory.path).map(\.first)
    }

    /// Appends `count` one-event appends with command ids `cmd-<n>` to streams `s-<n % 7>`.
    static func append(_ store: FileEventStore, from start: Int, count: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        for i in start..<(start + count) {
            let event = Fixtures.event(commandID: "cmd-\(i)")
            ids.append(event.eventID)
            _ = try await store.append(to: StreamID("s-\(i % 7)"), expectedVersion: .any, events: [event])
        }
        return ids
    }

    @Test("periodic checkpoints are deltas that chain from position 1; reopening applies them and keeps idempotency")
    func deltasChain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        let ids = try await Self.append(store, from: 0, count: 200)
        await store.close()
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/" + Checkpoint.fileName))
        let firsts = Self.deltaFiles(directory)
        #expect(firsts.count >= 3)
        #expect(firsts.first == 1)

        // The chain is contiguous: loading applies every delta.
        let (loaded, unused) = Checkpoint.load(directory: directory.path)
        #expect(unused.isEmpty)
        let checkpoint = try #require(loaded)
        #expect(checkpoint.index.head > 100 && checkpoint.index.head <= 200)
        #expect(checkpoint.index.commandIDs.count == Int(checkpoint.index.head))

        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        let retry = try await store.append(to: "s-3", expectedVersion: .noStream, events: [Fixtures.event(commandID: "cmd-3")])
        #expect(retry.firstPosition == LogPosition(4))
        #expect(retry.deduplicated)
        let retryByEventID = try await store.append(to: "s-0", expectedVersion: .any, events: [Fixtures.event(id: ids[7])])
        #expect(retryByEventID.firstPosition == LogPosition(8))
        #expect(await store.streamVersion("s-3") == UInt64((0..<200).filter { $0 % 7 == 3 }.count))
        await store.close()
    }

    @Test("a snapshot at close supersedes the deltas and removes them; deltas after it continue from its head")
    func snapshotSupersedesDeltas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.deltaOptions
        options.checkpointOnClose = true
        var store = try FileEventStore.open(directory: directory.path, options: options)
        var ids = try await Self.append(store, from: 0, count: 120)
        await store.close()
        #expect(FileManager.default.fileExists(atPath: directory.path + "/" + Checkpoint.fileName))
        #expect(Self.deltaFiles(directory).isEmpty)

        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        ids += try await Self.append(store, from: 120, count: 120)
        await store.close()
        #expect(Self.deltaFiles(directory).first == 121)
        let checkpoint = try #require(Checkpoint.load(directory: directory.path).checkpoint)
        #expect(checkpoint.index.head > 121)

        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        let retry = try await store.append(to: "s-6", expectedVersion: .any, events: [Fixtures.event(commandID: "cmd-230")])
        #expect(retry.firstPosition == LogPosition(231))
        await store.close()
    }

    @Test("a damaged delta ends the chain: the rest is scanned, nothing is lost, and new deltas restart the chain there")
    func damagedDelta() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        var ids = try await Self.append(store, from: 0, count: 200)
        await store.close()
        let firsts = Self.deltaFiles(directory)
        #expect(firsts.count >= 3)
        try SegmentFile.flipByte(directory.path + "/" + IndexDelta.fileName(first: firsts[1]), at: 40)
        let (loaded, unused) = Checkpoint.load(directory: directory.path)
        #expect(loaded?.index.head == firsts[1] - 1)
        #expect(unused.count == firsts.count - 1)

        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        // The damaged delta and those after it are gone; the next delta starts where the chain ended
        // (it holds the entries the open scanned).
        #expect(Self.deltaFiles(directory) == [firsts[0]])
        ids += try await Self.append(store, from: 200, count: 100)
        await store.close()
        let now = Self.deltaFiles(directory)
        #expect(now.count >= 2)
        #expect(now[1] == firsts[1])
        let checkpoint = try #require(Checkpoint.load(directory: directory.path).checkpoint)
        #expect(checkpoint.index.head > 200)

        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        let retry = try await store.append(to: "s-1", expectedVersion: .any, events: [Fixtures.event(commandID: "cmd-29")])
        #expect(retry.firstPosition == LogPosition(30))
        await store.close()
    }

    @Test("a delta that cannot be written is counted and retried before the next one; appends go on, nothing is lost")
    func failedDeltaIsRetried() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A directory where the first delta's temporary file must go: writing it fails.
        let blocker = directory.path + "/" + IndexDelta.fileName(first: 1) + ".tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        var store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        var ids = try await Self.append(store, from: 0, count: 60)
        // The background saver tries (and fails) soon after the interval is reached.
        for _ in 0..<500 where store.statistics.checkpointFailures == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(store.statistics.checkpointFailures >= 1)
        try FileManager.default.removeItem(atPath: blocker)
        ids += try await Self.append(store, from: 60, count: 140)
        await store.close()
        // The failed delta was retried before the later ones: the chain starts at position 1.
        #expect(Self.deltaFiles(directory).first == 1)
        let (loaded, unused) = Checkpoint.load(directory: directory.path)
        #expect(unused.isEmpty)
        #expect((loaded?.index.head ?? 0) > 60)
        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        await store.close()
    }

    @Test("a delta larger than one chunk round-trips: every entry comes back, in order")
    func multiChunkDelta() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // ~90-byte entries with varying lengths: 40,000 of them span several 1 MiB chunks, and
        // chunk boundaries fall where an entry does not fit.
        var delta = IndexDelta(first: 1)
        var ids: [UUID] = []
        for i in 0..<40_000 {
            let id = UUID()
            ids.append(id)
            delta.add(location: UInt64(i) * 100, stream: StreamID("stream-\(i % 97)-" + String(repeating: "x", count: i % 13)), eventID: id,
                      commandID: i % 3 == 0 ? nil : "command-\(i)")
        }
        try delta.write(segments: [.init(firstPosition: 1, length: 4_000_000)], directory: directory.path)
        let checkpoint = try #require(Checkpoint.load(directory: directory.path).checkpoint)
        #expect(checkpoint.index.head == 40_000)
        #expect(checkpoint.index.eventIDs.count == 40_000)
        #expect(checkpoint.index.commandIDs.count == 40_000 - (0..<40_000).filter { $0 % 3 == 0 }.count)
        for i in [0, 1, 12_345, 39_999] {
            #expect(checkpoint.index.eventIDs[EventKey(ids[i])] == UInt64(i) + 1)
            #expect(checkpoint.index.location(of: UInt64(i) + 1)?.offset == UInt64(i) * 100)
        }
        #expect(checkpoint.index.commandIDs[HashedString("command-39998")] == 39_999)
    }

    @Test("a delta file that no longer continues the log is ignored, not trusted; leftovers are removed")
    func deltaBeyondTheLog() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        let ids = try await Self.append(store, from: 0, count: 100)
        await store.close()
        // A stray delta claiming positions far beyond the log (e.g. copied from another store).
        let stray = IndexDelta(first: 5_000)
        try stray.write(segments: [.init(firstPosition: 1, length: 10)], directory: directory.path)
        // And the temporary file of a delta whose write was interrupted.
        let leftover = directory.path + "/" + IndexDelta.fileName(first: 7_000) + ".tmp"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3])))
        store = try FileEventStore.open(directory: directory.path, options: Self.deltaOptions)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        await store.close()
        #expect(!Self.deltaFiles(directory).contains(5_000))
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }
}
