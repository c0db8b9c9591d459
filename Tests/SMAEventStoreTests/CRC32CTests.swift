import Testing
@testable import SMAEventStore

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("matches the standard check value and known vectors")
    func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("the CPU instruction and the table agree, on every length and alignment")
    func hardwareMatchesTable() {
        var bytes = [UInt8](repeating: 0, count: 4_099)
        var x: UInt32 = 0x1234_5678
        for i in bytes.indices {
            x = x &* 1_664_525 &+ 1_013_904_223
            bytes[i] = UInt8(truncatingIfNeeded: x >> 24)
        }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 63, 64, 65, 1_000, 4_090 - start] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    #expect(CRC32C.update(0x5A5A_5A5A, slice) == CRC32C.softwareUpdate(0x5A5A_5A5A, slice))
                    #expect(CRC32C.update(0, slice) == CRC32C.softwareUpdate(0, slice))
                }
            }
        }
        #if arch(x86_64)
        #expect(CRC32C.hardware, "every x86-64 server CPU since 2008 has SSE4.2")
        #endif
    }

    @Test("continuing over pieces equals one pass, at every split")
    func incremental() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let both = bytes[split...].withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(both == whole)
        }
    }
}
