import Foundation
import SMAEventStore
import Testing

@Suite("Recovery: torn tails, corruption, missing segments, checkpoints, locking")
struct RecoveryTests {
    /// No checkpoint: every open scans the whole log.
    static let scanOptions = FileEventStore.Options(segmentSize: 4 << 10, checkpointInterval: .max, checkpointOnClose: false)

    /// Writes `appends` appends of 2 events each to one stream and closes the store.
    static func populate(_ directory: TemporaryDirectory, appends: Int, options: FileEventStore.Options = scanOptions) async throws -> [AppendResult] {
        let store = try FileEventStore.open(directory: directory.path, options: options)
        var results: [AppendResult] = []
        for _ in 0..<appends { results.append(try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2))) }
        await store.close()
        return results
    }

    static func expectCorrupt(_ body: () throws -> Void, file: String, offset: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected a corrupt error", sourceLocation: sourceLocation)
        } catch let EventStoreError.corrupt(errorFile, errorOffset, _) {
            #expect(errorFile == file, sourceLocation: sourceLocation)
            if let offset { #expect(errorOffset == UInt64(offset), sourceLocation: sourceLocation) }
        } catch {
            Issue.record("expected a corrupt error, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a tail cut inside the last record is truncated with its whole append; new appends continue densely")
    func truncatedTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.populate(directory, appends: 5)
        let segment = try #require(try directory.segmentPaths().last)
        let offsets = try SegmentFile.recordOffsets(segment)
        // Cut inside the second (last) record of the last append: the first record is whole but must go too.
        try SegmentFile.truncate(segment, to: offsets[offsets.count - 1] + 20)
        let store = try FileEventStore.open(directory: directory.path, options: Self.scanOptions)
        #expect(await store.headPosition == LogPosition(8))
        #expect(try SegmentFile.size(segment) == offsets[offsets.count - 2])
        let next = try await store.append(to: "s", expectedVersion: .exact(8), events: Fixtures.events(1))
        #expect(next.firstPosition == LogPosition(9))
        #expect(try await Fixtures.readAll(store).map(\.position.value) == Array(1...9))
        await store.close()
    }

    @Test("a flipped byte in the last record is a torn tail: truncated")
    func flippedTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.populate(directory, appends: 5)
        let segment = try #require(try directory.segmentPaths().last)
        let offsets = try SegmentFile.recordOffsets(segment)
        try SegmentFile.flipByte(segment, at: offsets[offsets.count - 1] + 40)
        let store = try FileEventStore.open(directory: directory.path, options: Self.scanOptions)
        #expect(await store.headPosition == LogPosition(8))
        await store.close()
    }

    @Test("a flipped byte in the middle is a startup error naming the file and offset")
    func flippedMiddle() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.populate(directory, appends: 5)
        let segment = try #require(try directory.segmentPaths().last)
        let offsets = try SegmentFile.recordOffsets(segment)
        try SegmentFile.flipByte(segment, at: offsets[3] + 50)
        Self.expectCorrupt({ _ = try FileEventStore.open(directory: directory.path, options: Self.scanOptions) }, file: segment, offset: offsets[3])
    }

    @Test("damage in an older segment is a startup error, even at its end")
    func damagedOlderSegment() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.populate(directory, appends: 60)
        let segments = try directory.segmentPaths()
        #expect(segments.count >= 3)
        let offsets = try SegmentFile.recordOffsets(segments[0])
        try SegmentFile.truncate(segments[0], to: offsets[offsets.count - 1] + 10)
        Self.expectCorrupt({ _ = try FileEventStore.open(directory: directory.path, options: Self.scanOptions) }, file: segments[0], offset: offsets[offsets.count - 1])
    }

    @Test("a checkpoint that cannot be written is counted; the next open scans and loses nothing")
    func failedCheckpointIsCounted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.scanOptions
        options.checkpointOnClose = true
        // A directory where the checkpoint's temporary file must go: creating it fails.
        try FileManager.default.createDirectory(atPath: directory.path + "/index.checkpoint.tmp", withIntermediateDirectories: true)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        for _ in 0..<5 { _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2)) }
        await store.close()
        #expect(store.statistics.checkpointFailures == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/index.checkpoint"))
        let reopened = try FileEventStore.open(directory: directory.path, options: options)
        #expect(await reopened.headPosition == LogPosition(10))
        await reopened.close()
    }

    @Test("a missing segment is a startup error, with or without a checkpoint", arguments: [false, true])
    func missingSegment(checkpoint: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.scanOptions
        options.checkpointOnClose = checkpoint
        _ = try await Self.populate(directory, appends: 60, options: options)
        let segments = try directory.segmentPaths()
        #expect(segments.count >= 3)
        try FileManager.default.removeItem(atPath: segments[1])
        Self.expectCorrupt({ _ = try FileEventStore.open(directory: directory.path, options: options) }, file: segments[1])
    }

    @Test("with a checkpoint, damage inside checkpointed data is reported by the read that meets it")
    func corruptionBehindCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.scanOptions
        options.checkpointOnClose = true
        options.liveTailCapacity = 1
        _ = try await Self.populate(directory, appends: 5, options: options)
        let segment = try #require(try directory.segmentPaths().last)
        let offsets = try SegmentFile.recordOffsets(segment)
        try SegmentFile.flipByte(segment, at: offsets[3] + 50)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        #expect(await store.headPosition == LogPosition(10))
        await #expect(throws: EventStoreError.self) { _ = try await Fixtures.readAll(store) }
        do {
            _ = try await store.readAll(from: .start, filter: .all, maxCount: 100)
        } catch let EventStoreError.corrupt(file, offset, _) {
            #expect(file == segment)
            #expect(offset == UInt64(offsets[3]))
        }
        await store.close()
    }

    @Test("a checkpointed segment cut below its acknowledged length is a startup error")
    func checkpointedSegmentShortened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.scanOptions
        options.checkpointOnClose = true
        _ = try await Self.populate(directory, appends: 5, options: options)
        let segment = try #require(try directory.segmentPaths().last)
        try SegmentFile.truncate(segment, to: try SegmentFile.size(segment) - 10)
        Self.expectCorrupt({ _ = try FileEventStore.open(directory: directory.path, options: options) }, file: segment)
    }

    @Test("reopening uses the checkpoint and scans only the log after it; a damaged checkpoint falls back to a full scan")
    func checkpointReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = FileEventStore.Options(segmentSize: 4 << 10, checkpointInterval: 8 << 10, checkpointOnClose: false)
        var store = try FileEventStore.open(directory: directory.path, options: options)
        var ids: [UUID] = []
        for i in 0..<200 {
            let events = [Fixtures.event(commandID: "cmd-\(i)")]
            ids += events.map(\.eventID)
            _ = try await store.append(to: StreamID("s-\(i % 7)"), expectedVersion: .any, events: events)
        }
        await store.close()
        // Periodic checkpoints are deltas (index.delta.<first position>); the first covers position 1.
        let firstDelta = directory.path + "/index.delta.00000000000000000001"
        #expect(FileManager.default.fileExists(atPath: firstDelta))
        store = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        // Idempotency survives the restart: both maps came back (checkpoint + tail scan).
        let retry = try await store.append(to: "s-0", expectedVersion: .noStream, events: [Fixtures.event(commandID: "cmd-0")])
        #expect(retry.firstPosition == LogPosition(1))
        #expect(await store.streamVersion("s-3") == UInt64((0..<200).filter { $0 % 7 == 3 }.count))
        await store.close()
        try SegmentFile.flipByte(firstDelta, at: 20)
        store = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(store).map(\.eventID) == ids)
        let again = try await store.append(to: "s-5", expectedVersion: .any, events: [Fixtures.event(commandID: "cmd-199")])
        #expect(again.firstPosition == LogPosition(200))
        await store.close()
    }

    @Test("a second open of a locked directory fails; closing releases the lock")
    func directoryLock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        #expect(throws: EventStoreError.locked(path: directory.path + "/LOCK")) {
            _ = try FileEventStore.open(directory: directory.path)
        }
        await store.close()
        await #expect(throws: EventStoreError.self) { try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(1)) }
        let reopened = try FileEventStore.open(directory: directory.path)
        await reopened.close()
    }
}
