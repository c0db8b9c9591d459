import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The index checkpoint: a snapshot of ``StoreIndex`` and of how many bytes of each segment it
/// covers, so opening a store only scans the log written after it. The snapshot is written at
/// close; while the store runs, ``IndexDelta``s extend it (their cost does not grow with the store).
///
/// Format (little-endian): magic `SMAIDX01`, head, segments (first position, covered bytes),
/// locations, streams (id, positions), event ids, command ids, then a CRC-32C of all of it.
/// A missing or damaged checkpoint is not an error: the store falls back to a full scan.
struct Checkpoint {
    struct SegmentExtent: Equatable {
        let firstPosition: UInt64
        let length: UInt64
    }

    static let fileName = "index.checkpoint"
    private static let magic = Array("SMAIDX01".utf8)

    var index: StoreIndex
    var segments: [SegmentExtent]

    /// The checkpoint encoded with its trailing checksum.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        // The exact size up front: growing a buffer of hundreds of megabytes by doubling copied
        // it over and over (the snapshot is written at close, while shutdown waits).
        var size = Self.magic.count + 8 + 4 + segments.count * 16 + 8 + index.locations.count * 8 + 8 + 8 + index.eventIDs.count * 24 + 8 + 4
        index.streams.forEach { stream, positions in size += 2 + stream.value.utf8.count + 8 + positions.count * 8 }
        index.commandIDs.forEach { commandID, _ in size += 2 + commandID.value.utf8.count + 8 }
        writer.bytes.reserveCapacity(size)
        writer.raw(Self.magic)
        writer.u64(index.head)
        writer.u32(UInt32(segments.count))
        for segment in segments {
            writer.u64(segment.firstPosition)
            writer.u64(segment.length)
        }
        writer.u64(UInt64(index.locations.count))
        index.locations.forEachChunk { writer.u64Array($0) }
        writer.u64(UInt64(index.streams.count))
        index.streams.forEach { stream, positions in
            writer.u16(UInt16(stream.value.utf8.count))
            writer.raw(stream.value.utf8)
            writer.u64(UInt64(positions.count))
            writer.u64Array(positions)
        }
        writer.u64(UInt64(index.eventIDs.count))
        index.eventIDs.forEach { eventID, position in
            writer.uuid(eventID.uuid)
            writer.u64(position)
        }
        writer.u64(UInt64(index.commandIDs.count))
        index.commandIDs.forEach { commandID, position in
            writer.u16(UInt16(commandID.value.utf8.count))
            writer.raw(commandID.value.utf8)
            writer.u64(position)
        }
        writer.u32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes a checkpoint; nil if the bytes are damaged or inconsistent.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Checkpoint? {
        guard bytes.count > magic.count + 4 else { return nil }
        let content = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        guard content.starts(with: magic), CRC32C.checksum(content) == stored else { return nil }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: content[magic.count...]))
        var index = StoreIndex()
        guard let head = reader.u64(), let segmentCount = reader.u32() else { return nil }
        index.head = head
        var segments: [SegmentExtent] = []
        for _ in 0..<segmentCount {
            guard let first = reader.u64(), let length = reader.u64() else { return nil }
            segments.append(SegmentExtent(firstPosition: first, length: length))
        }
        guard let locationCount = reader.u64(), locationCount == head,
              let locations = reader.u64Array(count: Int(locationCount)) else { return nil }
        index.locations = ChunkedArray(locations)
        guard let streamCount = reader.u64(), streamCount <= head else { return nil }
        index.streams.reserveCapacity(Int(streamCount))
        for _ in 0..<streamCount {
            guard let length = reader.u16(), let id = reader.string(count: Int(length)),
                  let count = reader.u64(), count <= head, let positions = reader.u64Array(count: Int(count)) else { return nil }
            index.streams[HashedString(id)] = positions
        }
        guard let eventCount = reader.u64(), eventCount <= head else { return nil }
        index.eventIDs.reserveCapacity(Int(eventCount))
        for _ in 0..<eventCount {
            guard let id = reader.uuid(), let position = reader.u64() else { return nil }
            index.eventIDs[EventKey(id)] = position
        }
        guard let commandCount = reader.u64(), commandCount <= head else { return nil }
        index.commandIDs.reserveCapacity(Int(commandCount))
        for _ in 0..<commandCount {
            guard let length = reader.u16(), let id = reader.string(count: Int(length)), let position = reader.u64() else { return nil }
            index.commandIDs[HashedString(id)] = position
        }
        guard reader.remaining == 0 else { return nil }
        return Checkpoint(index: index, segments: segments)
    }

    /// Reads the checkpoint in `directory`: the snapshot (if there is a valid one) extended by every
    /// ``IndexDelta`` that continues it. Returns nil if nothing usable is there, and the paths of
    /// delta files not applied (covered by the snapshot, damaged, or after a gap): they can go.
    static func load(directory: String) -> (checkpoint: Checkpoint?, unusedDeltas: [String]) {
        var index = StoreIndex()
        var segments: [SegmentExtent] = []
        var found = false
        if let snapshot = readFile(directory + "/" + fileName, { decode($0) }) {
            index = snapshot.index
            segments = snapshot.segments
            found = true
        }
        var unused: [String] = []
        var chainEnded = false
        for delta in IndexDelta.files(in: directory) {
            if chainEnded {
                unused.append(delta.path)
                continue
            }
            let applied = readFile(delta.path) { bytes -> Bool in
                // The writer never saves an empty delta: one is not trusted (its extents alone
                // could claim segments that are not there).
                guard let header = IndexDelta.header(bytes), header.count > 0, header.first + header.count - 1 > index.head else { return false }
                guard let extents = IndexDelta.apply(bytes, to: &index) else { return false }
                segments = extents
                return true
            } ?? false
            if applied {
                found = true
            } else {
                unused.append(delta.path)
                chainEnded = delta.first > index.head
            }
        }
        return (found ? Checkpoint(index: index, segments: segments) : nil, unused)
    }

    private static func readFile<T>(_ path: String, _ body: (UnsafeRawBufferPointer) -> T?) -> T? {
        guard FileSystem.exists(path), let file = try? FileDescriptor.open(path, flags: O_RDONLY),
              let size = try? file.size(), size > 0 else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(size), alignment: 8)
        defer { buffer.deallocate() }
        guard let read = try? file.read(into: buffer, at: 0), read == Int(size) else { return nil }
        return body(UnsafeRawBufferPointer(buffer))
    }

    /// Writes the checkpoint durably: a temporary file, synced, then renamed over the old one.
    func write(directory: String) throws(EventStoreError) {
        let bytes = encoded()
        try FileSystem.replaceDurably(Self.fileName, in: directory) { (file) throws(EventStoreError) in try file.write(bytes, at: 0) }
    }
}
