/// The on-disk layout of one record: a frame header (length, CRC-32C) and a body.
///
/// ```
/// frame:  u32 bodyLength | u32 crc32c(bodyLength bytes + body) | body
/// body:   u64 position | u64 streamVersion | i64 timestamp µs | 16 B event id | u32 schemaVersion
///         u32 appendIndex | u32 appendCount
///         u16 lengths: streamID, eventType, commandID, correlationID, causationID, subject
///         u32 payloadLength | the strings' UTF-8 bytes in that order | payload
/// ```
/// All integers are little-endian. `appendIndex`/`appendCount` place the record in its append,
/// so recovery can drop an append that was only partly written.
enum RecordLayout {
    static let frameHeaderSize = 8
    static let fixedBodySize = 68

    static let positionOffset = 0
    static let versionOffset = 8
    static let timestampOffset = 16
    static let eventIDOffset = 24
    static let schemaVersionOffset = 40
    static let appendIndexOffset = 44
    static let appendCountOffset = 48
    static let stringLengthsOffset = 52
    static let payloadLengthOffset = 64

    /// The largest body accepted when reading; larger lengths are treated as damage.
    static let maxBodySize = 64 << 20
}
