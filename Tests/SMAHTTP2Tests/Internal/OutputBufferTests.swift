@testable import SMAHTTP2
import Testing

@Suite("OutputBuffer: a connection's outgoing bytes")
struct OutputBufferTests {
    static func pending(_ buffer: borrowing OutputBuffer) -> [UInt8] {
        buffer.withPendingBytes { bytes, count in Array(UnsafeRawBufferPointer(start: bytes, count: count)) }
    }

    @Test("appends keep their order across growth; written bytes drop off the front")
    func appendAndWrite() {
        var buffer = OutputBuffer()
        #expect(buffer.pending == 0)
        let first: [UInt8] = [1, 2, 3]
        first.withUnsafeBytes { buffer.append($0.baseAddress!, count: $0.count) }
        let big = [UInt8](repeating: 9, count: 10_000)  // forces growth past the first capacity
        big.withUnsafeBytes { buffer.append($0.baseAddress!, count: $0.count) }
        #expect(buffer.pending == 10_003)
        #expect(Self.pending(buffer) == first + big)
        buffer.offset += 2
        #expect(Self.pending(buffer) == [3] + big)
        buffer.offset = buffer.count
        #expect(buffer.pending == 0)
    }

    @Test("reset keeps the memory up to the limit and frees a buffer that grew beyond it")
    func reset() {
        var buffer = OutputBuffer()
        let bytes = [UInt8](repeating: 7, count: 4096)
        bytes.withUnsafeBytes { buffer.append($0.baseAddress!, count: $0.count) }
        buffer.reset(keepLimit: 1 << 20)
        #expect(buffer.count == 0 && buffer.offset == 0 && buffer.capacity >= 4096)
        bytes.withUnsafeBytes { buffer.append($0.baseAddress!, count: $0.count) }
        buffer.reset(keepLimit: 1024)
        #expect(buffer.capacity == 0)
        bytes.withUnsafeBytes { buffer.append($0.baseAddress!, count: 10) }
        #expect(Self.pending(buffer) == Array(bytes.prefix(10)))
    }
}
