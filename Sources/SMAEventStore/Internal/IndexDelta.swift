import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An incremental index checkpoint: the index entries of the events since the previous checkpoint,
/// in position order. The writer fills one as it writes and saves it every checkpoint interval, so
/// the cost of a periodic checkpoint is proportional to what was written since the last one — not
/// to the size of the store (a full snapshot of a 100-million-event index is gigabytes).
///
/// Opening a store applies the full snapshot (``Checkpoint``, written at close) and then every delta
/// that continues it, in order; the log after the last one is scanned. A damaged delta, or a gap,
/// ends the chain there: everything after it is scanned, nothing is lost.
///
/// File `index.delta.<first position, 20 digits>`, little-endian: magic `SMAIDXD1`, first position,
/// event count, segments (first position, covered bytes), then per event its location, stream id,
/// event id and command id (length 0: none), then a CRC-32C of all of it.
struct IndexDelta: Sendable {
    static let filePrefix = "index.delta."
    private static let magic = Array("SMAIDXD1".utf8)
    /// Entries go into fixed-size chunks: a growing array would copy everything at each doubling
    /// (measured: 15% of the writer thread on a fresh store).
    private static let chunkSize = 1 << 20

    /// The position of the first event it covers.
    private(set) var first: UInt64
    /// How many events it covers.
    private(set) var count: UInt64 = 0
    /// Encoded entries: every chunk but the last is exactly full (trimmed when the next one
    /// starts); the last is filled up to `used`.
    private var chunks: [[UInt8]] = []
    private var used = 0

    init(first: UInt64) {
        self.first = first
    }

    /// Whether it covers no event.
    var isEmpty: Bool { count == 0 }

    /// Adds the next event's index entry (its position must be `first + count`).
    mutating func add(location: UInt64, stream: StreamID, eventID: UUID, commandID: String?) {
        stream.rawValue.withContiguousUTF8 { stream in
            (commandID ?? "").withContiguousUTF8 { command in
                let size = 8 + 2 + stream.count + 16 + 2 + command.count
                if chunks.isEmpty || used + size > chunks[chunks.count - 1].count {
                    if !chunks.isEmpty { chunks[chunks.count - 1].removeLast(chunks[chunks.count - 1].count - used) }
                    chunks.append([UInt8](repeating: 0, count: max(Self.chunkSize, size)))
                    used = 0
                }
                chunks[chunks.count - 1].withUnsafeMutableBytes { chunk in
                    var offset = used
                    chunk.storeBytes(of: location.littleEndian, toByteOffset: offset, as: UInt64.self)
                    offset += 8
                    chunk.storeBytes(of: UInt16(truncatingIfNeeded: stream.count).littleEndian, toByteOffset: offset, as: UInt16.self)
                    offset += 2
                    if let base = stream.baseAddress { (chunk.baseAddress! + offset).copyMemory(from: base, byteCount: stream.count) }
                    offset += stream.count
                    withUnsafeBytes(of: eventID.uuid) { (chunk.baseAddress! + offset).copyMemory(from: $0.baseAddress!, byteCount: 16) }
                    offset += 16
                    chunk.storeBytes(of: UInt16(truncatingIfNeeded: command.count).littleEndian, toByteOffset: offset, as: UInt16.self)
                    offset += 2
                    if let base = command.baseAddress { (chunk.baseAddress! + offset).copyMemory(from: base, byteCount: command.count) }
                    used = offset + command.count
                }
            }
        }
        count += 1
    }

    /// Calls `body` with each part of the encoded file in order: header, entry chunks, checksum
    /// (computed over the parts, so a large delta is never copied into one buffer).
    func forEachEncodedPart(segments: [Checkpoint.SegmentExtent], _ body: (UnsafeRawBufferPointer) -> Void) {
        var header = ByteWriter()
        header.raw(Self.magic)
        header.u64(first)
        header.u64(count)
        header.u32(UInt32(segments.count))
        for segment in segments {
            header.u64(segment.firstPosition)
            header.u64(segment.length)
        }
        var crc = CRC32C.checksum(header.bytes)
        header.bytes.withUnsafeBytes { body($0) }
        for (number, chunk) in chunks.enumerated() {
            let length = number == chunks.count - 1 ? used : chunk.count
            chunk.withUnsafeBytes { chunk in
                let part = UnsafeRawBufferPointer(rebasing: chunk[0..<length])
                crc = CRC32C.update(crc, part)
                body(part)
            }
        }
        withUnsafeBytes(of: crc.littleEndian) { body($0) }
    }

    /// The file name of the delta starting at `first`.
    static func fileName(first: UInt64) -> String {
        let digits = String(first)
        return filePrefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The first position of a delta file name, nil for other names.
    static func first(fileName name: String) -> UInt64? {
        guard name.hasPrefix(filePrefix) else { return nil }
        let digits = name.dropFirst(filePrefix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII) else { return nil }
        return UInt64(digits)
    }

    /// The delta encoded in one array, with the segments it was written against and its trailing
    /// checksum.
    func encoded(segments: [Checkpoint.SegmentExtent]) -> [UInt8] {
        var bytes: [UInt8] = []
        forEachEncodedPart(segments: segments) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The first position and event count of an encoded delta, nil if it is damaged.
    static func header(_ bytes: UnsafeRawBufferPointer) -> (first: UInt64, count: UInt64)? {
        guard bytes.count > magic.count + 20 + 4 else { return nil }
        let content = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        guard content.starts(with: magic), CRC32C.checksum(content) == stored else { return nil }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: content[magic.count...]))
        guard let first = reader.u64(), let count = reader.u64(), first >= 1 else { return nil }
        return (first, count)
    }

    /// Applies an encoded delta (already checked by ``header(_:)``) that continues `index`; returns
    /// the segments it was written against, nil (leaving `index` untouched) if it is inconsistent.
    static func apply(_ bytes: UnsafeRawBufferPointer, to index: inout StoreIndex) -> [Checkpoint.SegmentExtent]? {
        let content = UnsafeRawBufferPointer(rebasing: bytes[magic.count..<(bytes.count - 4)])
        // Two passes: validate every entry, then apply, so a bad delta changes nothing.
        guard let segments = entries(content, head: index.head, visit: { _, _, _, _, _ in }) else { return nil }
        _ = entries(content, head: index.head) { position, location, stream, eventID, commandID in
            index.add(position: position, location: location, stream: stream, eventID: eventID, commandID: commandID)
        }
        return segments
    }

    private static func entries(
        _ content: UnsafeRawBufferPointer, head: UInt64,
        visit: (UInt64, UInt64, StreamID, UUID, String?) -> Void
    ) -> [Checkpoint.SegmentExtent]? {
        var reader = ByteReader(content)
        guard let first = reader.u64(), first == head + 1, let count = reader.u64(), let segmentCount = reader.u32() else { return nil }
        var segments: [Checkpoint.SegmentExtent] = []
        for _ in 0..<segmentCount {
            guard let firstPosition = reader.u64(), let length = reader.u64() else { return nil }
            segments.append(Checkpoint.SegmentExtent(firstPosition: firstPosition, length: length))
        }
        for offset in 0..<count {
            guard let location = reader.u64(), let streamLength = reader.u16(), let stream = reader.string(count: Int(streamLength)),
                  let eventID = reader.uuid(), let commandLength = reader.u16(), let command = reader.string(count: Int(commandLength))
            else { return nil }
            visit(first + offset, location, StreamID(stream), eventID, command.isEmpty ? nil : command)
        }
        guard reader.remaining == 0, !segments.isEmpty else { return nil }
        return segments
    }

    /// Writes the delta durably into `directory`: a temporary file, synced, then renamed into place.
    func write(segments: [Checkpoint.SegmentExtent], directory: String) throws(EventStoreError) {
        try FileSystem.replaceDurably(Self.fileName(first: first), in: directory) { (file) throws(EventStoreError) in
            var offset: UInt64 = 0
            var failure: EventStoreError?
            forEachEncodedPart(segments: segments) { part in
                guard failure == nil else { return }
                do throws(EventStoreError) {
                    try file.write(part, at: offset)
                } catch {
                    failure = error
                }
                offset += UInt64(part.count)
            }
            if let failure { throw failure }
        }
    }

    /// Temporary files of deltas whose writing was interrupted (a crash between create and rename).
    static func leftoverTemporaryFiles(in directory: String) -> [String] {
        let names = (try? FileSystem.list(directory)) ?? []
        return names.filter { $0.hasPrefix(filePrefix) && $0.hasSuffix(".tmp") }.map { directory + "/" + $0 }
    }

    /// The delta files in `directory`, by first position.
    static func files(in directory: String) -> [(first: UInt64, path: String)] {
        let names = (try? FileSystem.list(directory)) ?? []
        return names.compactMap { name in first(fileName: name).map { ($0, directory + "/" + name) } }.sorted { $0.first < $1.first }
    }
}
