/// Reads committed records from segment files: sequential pages of `$all` and single records.
///
/// Callers pass a snapshot of the segments and stop at the committed head, so the bytes read are
/// always durable and never being written.
enum LogReader {
    /// Up to `maxCount` events matching `filter` from `position` (inclusive) to `head`, starting at
    /// `start` (the location of `position`). Returns the events and the next position to read.
    static func readForward(
        from position: UInt64, start: (segment: Int, offset: UInt64), head: UInt64, segments: [Segment],
        filter: CompiledFilter, maxCount: Int
    ) throws(EventStoreError) -> (events: [RecordedEvent], next: UInt64) {
        var events: [RecordedEvent] = []
        var position = position
        var segment = start.segment
        var offset = start.offset
        var capacity = filter.isAll ? min(1 << 20, max(16 << 10, maxCount * 512)) : 1 << 20
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while position <= head && events.count < maxCount {
            guard segment < segments.count else {
                throw .corrupt(file: segments.last?.path ?? "segments", offset: offset, reason: "position \(position) is indexed but missing from the log")
            }
            let file = segments[segment].file
            let read = try file.read(into: buffer, at: offset)
            if read == 0 {
                segment += 1
                offset = 0
                continue
            }
            var cursor = 0
            parsing: while position <= head && events.count < maxCount {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[cursor..<read])
                switch RecordFrame.parse(bytes) {
                case let .record(body, length):
                    let header = RecordHeader(body)
                    guard header.position == position else {
                        throw .corrupt(file: file.path, offset: offset + UInt64(cursor), reason: "expected position \(position), found \(header.position)")
                    }
                    if filter.matches(header) { events.append(header.decode()) }
                    cursor += length
                    position += 1
                case let .incomplete(needed):
                    if cursor > 0 { break parsing }
                    guard read == buffer.count else {
                        throw .corrupt(file: file.path, offset: offset, reason: "record at position \(position) is cut off by the end of the file")
                    }
                    buffer.deallocate()
                    capacity = max(capacity * 2, needed)
                    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
                    break parsing
                case let .damaged(reason):
                    throw .corrupt(file: file.path, offset: offset + UInt64(cursor), reason: reason)
                }
            }
            offset += UInt64(cursor)
        }
        return (events, position)
    }

    /// One decoded record at `location`, with its place in its append.
    static func readRecord(
        position: UInt64, at location: (segment: Int, offset: UInt64), segments: [Segment]
    ) throws(EventStoreError) -> (event: RecordedEvent, appendIndex: UInt32, appendCount: UInt32) {
        guard location.segment < segments.count else {
            throw .corrupt(file: "segments", offset: location.offset, reason: "position \(position) points to a missing segment")
        }
        let file = segments[location.segment].file
        var size = 4096
        while true {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
            defer { buffer.deallocate() }
            let read = try file.read(into: buffer, at: location.offset)
            switch RecordFrame.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<read])) {
            case let .record(body, _):
                let header = RecordHeader(body)
                guard header.position == position else {
                    throw .corrupt(file: file.path, offset: location.offset, reason: "expected position \(position), found \(header.position)")
                }
                return (header.decode(), header.appendIndex, header.appendCount)
            case let .incomplete(needed):
                guard read == size else {
                    throw .corrupt(file: file.path, offset: location.offset, reason: "record at position \(position) is cut off by the end of the file")
                }
                size = needed
            case let .damaged(reason):
                throw .corrupt(file: file.path, offset: location.offset, reason: reason)
            }
        }
    }
}
