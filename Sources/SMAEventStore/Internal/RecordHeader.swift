import Foundation

/// A view of one record body's fields without copying them: used by recovery, filters and decoding.
struct RecordHeader {
    let body: UnsafeRawBufferPointer

    init(_ body: UnsafeRawBufferPointer) {
        self.body = body
    }

    private func u16(_ offset: Int) -> Int { Int(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) }
    private func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    private func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }

    var position: UInt64 { u64(RecordLayout.positionOffset) }
    var streamVersion: UInt64 { u64(RecordLayout.versionOffset) }
    var timestampMicros: Int64 { Int64(bitPattern: u64(RecordLayout.timestampOffset)) }
    var eventID: UUID { UUID(uuid: body.loadUnaligned(fromByteOffset: RecordLayout.eventIDOffset, as: uuid_t.self)) }
    var schemaVersion: UInt32 { u32(RecordLayout.schemaVersionOffset) }
    var appendIndex: UInt32 { u32(RecordLayout.appendIndexOffset) }
    var appendCount: UInt32 { u32(RecordLayout.appendCountOffset) }
    var payloadLength: Int { Int(u32(RecordLayout.payloadLengthOffset)) }

    /// The bytes of string field `index` (0 stream id, 1 event type, 2 command id, 3 correlation, 4 causation, 5 subject).
    func stringBytes(_ index: Int) -> UnsafeRawBufferPointer {
        var start = RecordLayout.fixedBodySize
        for field in 0..<index { start += u16(RecordLayout.stringLengthsOffset + 2 * field) }
        let length = u16(RecordLayout.stringLengthsOffset + 2 * index)
        return UnsafeRawBufferPointer(rebasing: body[start..<(start + length)])
    }

    var streamIDBytes: UnsafeRawBufferPointer { stringBytes(0) }
    var eventTypeBytes: UnsafeRawBufferPointer { stringBytes(1) }
    var commandIDBytes: UnsafeRawBufferPointer { stringBytes(2) }

    /// The payload bytes (at the end of the body).
    var payloadBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: body[(body.count - payloadLength)...])
    }

    /// Whether the declared lengths fill the body exactly.
    func isConsistent(bodyLength: Int) -> Bool {
        var total = RecordLayout.fixedBodySize + payloadLength
        for field in 0..<6 { total += u16(RecordLayout.stringLengthsOffset + 2 * field) }
        return total == bodyLength && appendCount > 0 && appendIndex < appendCount && position > 0 && streamVersion > 0
    }

    /// Decodes the whole record.
    func decode() -> RecordedEvent {
        RecordedEvent(
            position: LogPosition(position),
            streamID: StreamID(Self.string(streamIDBytes)),
            streamVersion: streamVersion,
            eventID: eventID,
            eventType: Self.string(eventTypeBytes),
            schemaVersion: schemaVersion,
            timestamp: Date(timeIntervalSince1970: Double(timestampMicros) / 1_000_000),
            metadata: EventMetadata(
                commandID: Self.optionalString(stringBytes(2)),
                correlationID: Self.optionalString(stringBytes(3)),
                causationID: Self.optionalString(stringBytes(4)),
                subject: Self.optionalString(stringBytes(5))
            ),
            payload: [UInt8](payloadBytes)
        )
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    static func optionalString(_ bytes: UnsafeRawBufferPointer) -> String? {
        bytes.isEmpty ? nil : string(bytes)
    }
}
