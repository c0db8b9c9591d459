import SMACRC32C

/// CRC-32C (Castagnoli), the checksum framing every record: the CPU's CRC instruction where it
/// has one (SSE4.2 / ARMv8 CRC, through `SMACRC32C`), else a slicing-by-8 table implementation.
///
/// A checksum, not cryptography: it detects torn writes and bit rot, nothing more.
enum CRC32C {
    /// Whether the CPU computes CRC-32C itself (~5x the table's speed here).
    static let hardware = sma_crc32c_hardware() != 0

    /// Eight 256-entry tables, flattened: table k at `k * 256`.
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        let polynomial: UInt32 = 0x82F6_3B78
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1
            }
            table[index] = crc
        }
        for index in 0..<256 {
            var crc = table[index]
            for slice in 1..<8 {
                crc = table[Int(crc & 0xFF)] ^ (crc >> 8)
                table[slice * 256 + index] = crc
            }
        }
        return table
    }()

    /// The checksum of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The checksum of `bytes` as an array.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues checksum `crc` (of earlier bytes) over `bytes`.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard hardware, let base = bytes.baseAddress else { return softwareUpdate(crc, bytes) }
        return sma_crc32c_update(crc, base, bytes.count)
    }

    /// ``update(_:_:)`` with the table (used where the CPU has no CRC instruction).
    static func softwareUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = ~crc
        guard var pointer = bytes.baseAddress, !bytes.isEmpty else { return ~crc }
        var remaining = bytes.count
        table.withUnsafeBufferPointer { tableBuffer in
            let t = tableBuffer.baseAddress!
            while remaining >= 8 {
                let low = pointer.loadUnaligned(as: UInt32.self).littleEndian ^ crc
                let high = pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                pointer += 1
                remaining -= 1
            }
        }
        return ~crc
    }
}
