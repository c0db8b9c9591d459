import Foundation

/// Scans segment files record by record and adds complete appends to an index (see ``LogRecovery``).
struct SegmentScanner {
    private struct PendingRecord {
        let position: UInt64
        let location: UInt64
        let version: UInt64
        let eventID: UUIDBytes
        let commandID: String?
    }

    typealias UUIDBytes = uuid_t

    var index: StoreIndex
    /// The entries of every event added by the scan, for the writer's next ``IndexDelta``.
    private(set) var delta: IndexDelta
    private var pending: [PendingRecord] = []
    private var pendingStream: StreamID?
    private var pendingStart: UInt64 = 0

    init(index: StoreIndex) {
        self.delta = IndexDelta(first: index.head + 1)
        self.index = index
    }

    /// Scans `segment` from `start`; returns the segment's valid length (after any truncation).
    mutating func scan(segment: Segment, number: Int, from start: UInt64, isLast: Bool) throws(EventStoreError) -> UInt64 {
        let size = try segment.file.size()
        guard size >= start else {
            throw .corrupt(file: segment.path, offset: size, reason: "segment is shorter than its checkpointed length \(start)")
        }
        let length = Int(size - start)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 8)
        defer { buffer.deallocate() }
        guard try segment.file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), at: start) == length else {
            throw .corrupt(file: segment.path, offset: start, reason: "segment shrank while being read")
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        var cursor = 0
        pending.removeAll()
        pendingStream = nil
        while cursor < length {
            let offset = start + UInt64(cursor)
            switch RecordFrame.parse(UnsafeRawBufferPointer(rebasing: bytes[cursor...])) {
            case let .record(body, frameLength):
                try add(RecordHeader(body), segment: segment, number: number, offset: offset)
                cursor += frameLength
            case .incomplete:
                return try tornTail(segment: segment, at: offset, rest: UnsafeRawBufferPointer(rebasing: bytes[cursor...]), isLast: isLast, reason: "record cut off by the end of the file")
            case let .damaged(reason):
                return try tornTail(segment: segment, at: offset, rest: UnsafeRawBufferPointer(rebasing: bytes[cursor...]), isLast: isLast, reason: reason)
            }
        }
        if !pending.isEmpty {
            guard isLast else {
                throw .corrupt(file: segment.path, offset: pendingStart, reason: "append starting here is incomplete at the end of a non-final segment")
            }
            return try truncate(segment, to: pendingStart)
        }
        return size
    }

    private mutating func add(_ header: RecordHeader, segment: Segment, number: Int, offset: UInt64) throws(EventStoreError) {
        let expected = index.head + UInt64(pending.count) + 1
        guard header.position == expected else {
            throw .corrupt(file: segment.path, offset: offset, reason: "expected position \(expected), found \(header.position)")
        }
        if header.appendIndex == 0 {
            guard pending.isEmpty else {
                throw .corrupt(file: segment.path, offset: pendingStart, reason: "append starting here is interrupted by another append")
            }
            pendingStart = offset
            pendingStream = StreamID(RecordHeader.string(header.streamIDBytes))
        } else {
            guard header.appendIndex == UInt32(pending.count), let stream = pendingStream,
                  header.streamIDBytes.elementsEqual(stream.rawValue.utf8) else {
                throw .corrupt(file: segment.path, offset: offset, reason: "record does not continue the append before it")
            }
        }
        let stream = pendingStream!
        let expectedVersion = index.version(of: stream) + UInt64(pending.count) + 1
        guard header.streamVersion == expectedVersion else {
            throw .corrupt(file: segment.path, offset: offset, reason: "stream '\(stream)' expected version \(expectedVersion), found \(header.streamVersion)")
        }
        pending.append(PendingRecord(
            position: header.position, location: StoreIndex.location(segment: number, offset: offset),
            version: header.streamVersion, eventID: header.body.loadUnaligned(fromByteOffset: RecordLayout.eventIDOffset, as: uuid_t.self),
            commandID: header.appendIndex == 0 ? RecordHeader.optionalString(header.commandIDBytes) : nil
        ))
        if header.appendIndex == header.appendCount - 1 {
            for record in pending {
                let eventID = UUID(uuid: record.eventID)
                index.add(position: record.position, location: record.location, stream: stream, eventID: eventID, commandID: record.commandID)
                delta.add(location: record.location, stream: stream, eventID: eventID, commandID: record.commandID)
            }
            pending.removeAll(keepingCapacity: true)
            pendingStream = nil
        }
    }

    /// Handles a bad record at `offset`: a torn tail of the last segment is cut off; anything followed
    /// by a valid record, or in an older segment, is corruption.
    ///
    /// The writer writes into zeros it wrote ahead of the log (``SpacePreallocator``), so after a
    /// crash the last segment usually ends with zeros: they are kept (no truncation) when no append
    /// is cut off before them. And a write that was never acknowledged can then be torn in the
    /// middle, not only cut short: sectors that did not reach the disk read back as those zeros. An
    /// all-zero sector between the damage and the valid records after it marks that case, which is
    /// a torn tail too.
    private mutating func tornTail(segment: Segment, at offset: UInt64, rest: UnsafeRawBufferPointer, isLast: Bool, reason: String) throws(EventStoreError) -> UInt64 {
        guard isLast else { throw .corrupt(file: segment.path, offset: offset, reason: reason) }
        if pending.isEmpty, Self.allZero(rest) { return offset }
        if let found = Self.validRecord(after: rest, minimumPosition: index.head + 1),
           !Self.containsZeroSector(UnsafeRawBufferPointer(rebasing: rest[0..<found]), at: offset) {
            throw .corrupt(file: segment.path, offset: offset,
                           reason: "\(reason); valid records follow at offset \(offset + UInt64(found)), so this is not a torn tail")
        }
        return try truncate(segment, to: pending.isEmpty ? offset : pendingStart)
    }

    /// The size of the sectors a disk writes atomically (the smallest there are).
    static let sectorSize = 512

    static func allZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let words = bytes.count / 8
        for word in 0..<words where bytes.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self) != 0 { return false }
        index = words * 8
        while index < bytes.count {
            if bytes[index] != 0 { return false }
            index += 1
        }
        return true
    }

    /// Whether `bytes`, which start at file offset `offset`, contain a whole sector-aligned sector of zeros.
    static func containsZeroSector(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) -> Bool {
        let size = UInt64(sectorSize)
        var sector = (offset + size - 1) / size * size
        while sector + size <= offset + UInt64(bytes.count) {
            let start = Int(sector - offset)
            if allZero(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + sectorSize)])) { return true }
            sector += size
        }
        return false
    }

    private mutating func truncate(_ segment: Segment, to length: UInt64) throws(EventStoreError) -> UInt64 {
        pending.removeAll()
        pendingStream = nil
        try segment.file.truncate(to: length)
        try segment.file.syncData()
        return length
    }

    /// The offset of a valid record (with a plausible position) somewhere after the first byte of `bytes`.
    static func validRecord(after bytes: UnsafeRawBufferPointer, minimumPosition: UInt64) -> Int? {
        let minimumFrame = RecordLayout.frameHeaderSize + RecordLayout.fixedBodySize
        guard bytes.count > minimumFrame else { return nil }
        let maximumPosition = minimumPosition + UInt64(bytes.count / minimumFrame) + 1
        for start in 1...(bytes.count - minimumFrame) {
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            guard length >= RecordLayout.fixedBodySize, length <= bytes.count - start - RecordLayout.frameHeaderSize else { continue }
            let position = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start + RecordLayout.frameHeaderSize, as: UInt64.self))
            guard position >= minimumPosition, position <= maximumPosition else { continue }
            if case .record = RecordFrame.parse(UnsafeRawBufferPointer(rebasing: bytes[start...])) { return start }
        }
        return nil
    }
}
