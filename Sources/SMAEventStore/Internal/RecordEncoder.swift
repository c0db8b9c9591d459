import Foundation

/// Encodes records into a write buffer in the ``RecordLayout`` format.
enum RecordEncoder {
    /// The size of the frame of `event` appended to `stream`, or nil if a field is too long.
    static func frameSize(stream: StreamID, event: EventData) -> Int? {
        let m = event.metadata
        // No array of lengths: this runs for every event on the writer thread.
        let limit = Int(UInt16.max)
        let lengths = (stream.rawValue.utf8.count, event.eventType.utf8.count, m.commandID?.utf8.count ?? 0,
                       m.correlationID?.utf8.count ?? 0, m.causationID?.utf8.count ?? 0, m.subject?.utf8.count ?? 0)
        guard lengths.0 <= limit, lengths.1 <= limit, lengths.2 <= limit, lengths.3 <= limit, lengths.4 <= limit, lengths.5 <= limit else {
            return nil
        }
        let strings = lengths.0 + lengths.1 + lengths.2 + lengths.3 + lengths.4 + lengths.5
        let body = RecordLayout.fixedBodySize + strings + event.payload.count
        guard body <= RecordLayout.maxBodySize else { return nil }
        return RecordLayout.frameHeaderSize + body
    }

    /// Appends one framed record to `buffer`.
    static func encode(
        position: UInt64, streamVersion: UInt64, timestampMicros: Int64, stream: StreamID, event: EventData,
        appendIndex: UInt32, appendCount: UInt32, frameSize: Int, into buffer: inout [UInt8]
    ) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: frameSize))
        buffer.withUnsafeMutableBytes { raw in
            let frame = UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + frameSize)])
            let base = frame.baseAddress!
            let body = base + RecordLayout.frameHeaderSize
            base.storeBytes(of: UInt32(frameSize - RecordLayout.frameHeaderSize).littleEndian, as: UInt32.self)
            body.storeBytes(of: position.littleEndian, toByteOffset: RecordLayout.positionOffset, as: UInt64.self)
            body.storeBytes(of: streamVersion.littleEndian, toByteOffset: RecordLayout.versionOffset, as: UInt64.self)
            body.storeBytes(of: timestampMicros.littleEndian, toByteOffset: RecordLayout.timestampOffset, as: Int64.self)
            withUnsafeBytes(of: event.eventID.uuid) { uuid in
                (body + RecordLayout.eventIDOffset).copyMemory(from: uuid.baseAddress!, byteCount: 16)
            }
            body.storeBytes(of: event.schemaVersion.littleEndian, toByteOffset: RecordLayout.schemaVersionOffset, as: UInt32.self)
            body.storeBytes(of: appendIndex.littleEndian, toByteOffset: RecordLayout.appendIndexOffset, as: UInt32.self)
            body.storeBytes(of: appendCount.littleEndian, toByteOffset: RecordLayout.appendCountOffset, as: UInt32.self)
            body.storeBytes(of: UInt32(event.payload.count).littleEndian, toByteOffset: RecordLayout.payloadLengthOffset, as: UInt32.self)
            let m = event.metadata
            var cursor = body + RecordLayout.fixedBodySize
            // One string after the other, without an array of them (a heap allocation per event).
            func write(_ string: String?, slot: Int) {
                let length = string?.withContiguousUTF8 { utf8 -> Int in
                    if let source = utf8.baseAddress { cursor.copyMemory(from: source, byteCount: utf8.count) }
                    return utf8.count
                } ?? 0
                body.storeBytes(of: UInt16(length).littleEndian, toByteOffset: RecordLayout.stringLengthsOffset + 2 * slot, as: UInt16.self)
                cursor += length
            }
            write(stream.rawValue, slot: 0)
            write(event.eventType, slot: 1)
            write(m.commandID, slot: 2)
            write(m.correlationID, slot: 3)
            write(m.causationID, slot: 4)
            write(m.subject, slot: 5)
            event.payload.withUnsafeBytes { payload in
                if let source = payload.baseAddress { cursor.copyMemory(from: source, byteCount: payload.count) }
            }
            let crc = CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: frame[0..<4])),
                                    UnsafeRawBufferPointer(rebasing: frame[RecordLayout.frameHeaderSize...]))
            base.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
        }
    }
}
