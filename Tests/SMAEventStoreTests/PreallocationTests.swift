import Foundation
import SMAEventStore
import Testing

@Suite("Preallocation: the log is written into zeros written ahead of it")
struct PreallocationTests {
    @Test("while open, zeros are written ahead of the last record; closing cuts the segment back to it")
    func zerosAheadAndCutAtClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        for _ in 0..<20 { _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2)) }
        let segment = try #require(try directory.segmentPaths().last)
        var waited = 0
        while store.statistics.preallocatedBytes == 0 && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(store.statistics.preallocatedBytes > 0)
        #expect(store.statistics.preallocationFailures == 0)
        #expect(try SegmentFile.size(segment) >= 1 << 20)
        await store.close()
        let offsets = try SegmentFile.recordOffsets(segment)
        #expect(offsets.count == 40)
        #expect(try SegmentFile.size(segment) < 40 * 1024)
        let reopened = try FileEventStore.open(directory: directory.path)
        #expect(try await Fixtures.readAll(reopened).map(\.position.value) == Array(1...40))
        await reopened.close()
    }

    @Test("zeros after the last record (a crash while preallocated) are kept and written into; nothing is lost", arguments: [false, true])
    func zerosAfterCrash(checkpoint: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = FileEventStore.Options(checkpointOnClose: checkpoint)
        _ = try await RecoveryTests.populate(directory, appends: 5, options: options)
        let segment = try #require(try directory.segmentPaths().last)
        let end = try SegmentFile.size(segment)
        try SegmentFile.appendZeros(segment, count: 64 << 10)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        #expect(await store.headPosition == LogPosition(10))
        #expect(try SegmentFile.size(segment) >= end + (64 << 10))
        let next = try await store.append(to: "s", expectedVersion: .exact(10), events: Fixtures.events(1))
        #expect(next.firstPosition == LogPosition(11))
        await store.close()
        #expect(try SegmentFile.recordOffsets(segment).count == 11)
        let reopened = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(reopened).map(\.position.value) == Array(1...11))
        await reopened.close()
    }

    /// Five small appends, then one of two 1,500-byte events: the last append spans whole sectors.
    private static func populateWithLargeLastAppend(_ directory: TemporaryDirectory) async throws -> (segment: String, offsets: [Int]) {
        _ = try await RecoveryTests.populate(directory, appends: 5)
        let store = try FileEventStore.open(directory: directory.path, options: RecoveryTests.scanOptions)
        _ = try await store.append(to: "s", expectedVersion: .exact(10), events: [Fixtures.event(payloadSize: 1500), Fixtures.event(payloadSize: 1500)])
        await store.close()
        let segment = try #require(try directory.segmentPaths().last)
        return (segment, try SegmentFile.recordOffsets(segment))
    }

    @Test("a last write torn in the middle (a zeroed sector, a valid record after it) is a torn tail: its append is cut off")
    func tornInsidePreallocatedSpace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (segment, offsets) = try await Self.populateWithLargeLastAppend(directory)
        let first = offsets[offsets.count - 2], second = offsets[offsets.count - 1]
        let sector = (first + 100 + 511) / 512 * 512
        #expect(sector + 512 <= second)
        try SegmentFile.zero(segment, sector..<(sector + 512))
        let store = try FileEventStore.open(directory: directory.path, options: RecoveryTests.scanOptions)
        #expect(await store.headPosition == LogPosition(10))
        #expect(try SegmentFile.size(segment) == first)
        let next = try await store.append(to: "s", expectedVersion: .exact(10), events: Fixtures.events(1))
        #expect(next.firstPosition == LogPosition(11))
        await store.close()
    }

    @Test("damage without a zeroed sector before a valid record stays a startup error naming the file and offset")
    func damageWithoutZeroSectorIsCorruption() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (segment, offsets) = try await Self.populateWithLargeLastAppend(directory)
        let first = offsets[offsets.count - 2]
        try SegmentFile.zero(segment, (first + 100)..<(first + 400))  // zeros, but no whole aligned sector
        RecoveryTests.expectCorrupt({ _ = try FileEventStore.open(directory: directory.path, options: RecoveryTests.scanOptions) },
                                    file: segment, offset: first)
    }

    @Test("a segment roll cuts the finished segment back to its last record while the store stays open")
    func rollCutsFinishedSegments() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = FileEventStore.Options(segmentSize: 2 << 20)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        // 60 appends of 50 events with 1 KiB payloads: about 3.2 MiB, so two rolls.
        for _ in 0..<60 {
            _ = try await store.append(to: "s", expectedVersion: .any, events: (0..<50).map { _ in Fixtures.event(payloadSize: 1024) })
        }
        let segments = try directory.segmentPaths()
        #expect(segments.count >= 2)
        for finished in segments.dropLast() {
            let offsets = try SegmentFile.recordOffsets(finished)
            let size = try SegmentFile.size(finished)
            #expect(size >= 2 << 20)
            #expect(size < (2 << 20) + (60 << 10), "a finished segment holds its records, not the zeros ahead of them")
            // The frames end exactly at the end of the file.
            let last = try #require(offsets.last)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: finished)))
            let length = Int(bytes[last]) | Int(bytes[last + 1]) << 8 | Int(bytes[last + 2]) << 16 | Int(bytes[last + 3]) << 24
            #expect(last + 8 + length == size)
        }
        #expect(try await Fixtures.readAll(store).map(\.position.value) == Array(1...3000))
        await store.close()
        let reopened = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(reopened).count == 3000)
        await reopened.close()
    }

    @Test("no zeros are written when the filesystem would keep less free space than the reserve")
    func nearlyFullDiskIsNotPreallocated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = FileEventStore.Options(preallocationFreeSpaceReserve: .max)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        for _ in 0..<20 { _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2)) }
        try await Task.sleep(for: .milliseconds(100))
        let segment = try #require(try directory.segmentPaths().last)
        #expect(try SegmentFile.size(segment) < 40 * 1024)
        #expect(try await Fixtures.readAll(store).map(\.position.value) == Array(1...40))
        await store.close()
        // Closing waits for any job the writer started: none of them wrote zeros or failed.
        #expect(store.statistics.preallocatedBytes == 0)
        #expect(store.statistics.preallocationFailures == 0)
    }

    @Test("zeros kept after a crash are cut off before a roll, even when the segment size was lowered below them")
    func rollCutsKeptZeros() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await RecoveryTests.populate(directory, appends: 5, options: FileEventStore.Options())
        let first = try #require(try directory.segmentPaths().last)
        try SegmentFile.appendZeros(first, count: 64 << 10)
        // Reopened with segments smaller than the data already there: the next append rolls.
        let options = FileEventStore.Options(segmentSize: 512)
        let store = try FileEventStore.open(directory: directory.path, options: options)
        _ = try await store.append(to: "s", expectedVersion: .exact(10), events: Fixtures.events(1))
        await store.close()
        let segments = try directory.segmentPaths()
        #expect(segments.count == 2)
        #expect(try SegmentFile.size(first) < 8 << 10, "the finished segment ends with its last record")
        let reopened = try FileEventStore.open(directory: directory.path, options: options)
        #expect(try await Fixtures.readAll(reopened).map(\.position.value) == Array(1...11))
        await reopened.close()
    }
}
