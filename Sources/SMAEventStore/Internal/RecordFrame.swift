/// The result of looking at the bytes where a record should start.
enum RecordFrame {
    /// A complete record whose checksum matches; `body` covers its body, `length` the whole frame.
    case record(body: UnsafeRawBufferPointer, length: Int)
    /// The buffer ends before the record does (needs more bytes, or a partial record at end of file).
    case incomplete(needed: Int)
    /// The bytes are not a valid record.
    case damaged(reason: String)

    /// Parses the frame starting at the beginning of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> RecordFrame {
        guard bytes.count >= RecordLayout.frameHeaderSize else { return .incomplete(needed: RecordLayout.frameHeaderSize) }
        let bodyLength = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard bodyLength >= RecordLayout.fixedBodySize, bodyLength <= RecordLayout.maxBodySize else {
            return .damaged(reason: "implausible record length \(bodyLength)")
        }
        let total = RecordLayout.frameHeaderSize + bodyLength
        guard bytes.count >= total else { return .incomplete(needed: total) }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let body = UnsafeRawBufferPointer(rebasing: bytes[RecordLayout.frameHeaderSize..<total])
        let crc = CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<4])), body)
        guard crc == stored else { return .damaged(reason: "CRC-32C mismatch (stored \(stored), computed \(crc))") }
        guard RecordHeader(body).isConsistent(bodyLength: bodyLength) else {
            return .damaged(reason: "field lengths do not add up to the record length")
        }
        return .record(body: body, length: total)
    }
}
