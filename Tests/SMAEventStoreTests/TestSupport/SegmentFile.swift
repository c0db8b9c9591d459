import Foundation

/// Byte-level access to segment files, for corruption tests.
enum SegmentFile {
    /// The byte offset of every record frame in the file.
    static func recordOffsets(_ path: String) throws -> [Int] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var offsets: [Int] = []
        var offset = 0
        while offset + 8 <= bytes.count {
            offsets.append(offset)
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += 8 + length
        }
        return offsets
    }

    static func size(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Cuts the file to `length` bytes.
    static func truncate(_ path: String, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    /// Inverts the byte at `offset`.
    static func flipByte(_ path: String, at offset: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[offset] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
    }
}

extension SegmentFile {
    /// Appends `count` zero bytes (what a crash leaves after the last record while the writer
    /// has space preallocated).
    static func appendZeros(_ path: String, count: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: count))
        try handle.close()
    }

    /// Overwrites `range` with zeros (a write torn inside preallocated space: sectors that never
    /// reached the disk read back as the zeros written ahead).
    static func zero(_ path: String, _ range: Range<Int>) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(range, with: Data(count: range.count))
        try bytes.write(to: URL(fileURLWithPath: path))
    }
}
