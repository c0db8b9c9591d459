import Foundation

/// A bounds-checked little-endian cursor over bytes; every read returns nil past the end.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func u16() -> UInt16? { load(UInt16.self).map { UInt16(littleEndian: $0) } }
    mutating func u32() -> UInt32? { load(UInt32.self).map { UInt32(littleEndian: $0) } }
    mutating func u64() -> UInt64? { load(UInt64.self).map { UInt64(littleEndian: $0) } }

    mutating func uuid() -> UUID? {
        load(uuid_t.self).map { UUID(uuid: $0) }
    }

    mutating func string(count: Int) -> String? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// `count` little-endian u64 values.
    mutating func u64Array(count: Int) -> [UInt64]? {
        guard count >= 0, remaining / 8 >= count else { return nil }
        let values = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count * 8)]))
            initialized = count
        }
        offset += count * 8
        #if _endian(big)
        return values.map { UInt64(littleEndian: $0) }
        #else
        return values
        #endif
    }

    private mutating func load<T>(_ type: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { return nil }
        defer { offset += size }
        return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}
