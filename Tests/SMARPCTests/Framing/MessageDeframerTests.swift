import SMARPC
import Testing

@Suite("Length-prefixed message framing")
struct MessageDeframerTests {
    private func frame(_ payload: [UInt8], compressed: Bool = false) -> [UInt8] {
        let n = UInt32(payload.count)
        return [compressed ? 1 : 0, UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)] + payload
    }

    private func feed(_ deframer: inout MessageDeframer, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { deframer.append($0) }
    }

    @Test("a message split across many chunks is reassembled")
    func reassembly() throws {
        var deframer = MessageDeframer(maxMessageSize: 1 << 20, compression: nil)
        let payload = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = frame(payload)
        var messages: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 997)
            feed(&deframer, Array(bytes[offset..<end]))
            while let message = try deframer.next() { messages.append(message) }
            offset = end
        }
        #expect(messages == [payload])
        #expect(!deframer.hasPartialMessage)
    }

    @Test("several messages in one chunk come out in order, including empty ones")
    func several() throws {
        var deframer = MessageDeframer(maxMessageSize: 100, compression: nil)
        feed(&deframer, frame([1, 2]) + frame([]) + frame([3]))
        var messages: [[UInt8]] = []
        while let message = try deframer.next() { messages.append(message) }
        #expect(messages == [[1, 2], [], [3]])
    }

    @Test("a partial prefix waits for more bytes")
    func partial() throws {
        var deframer = MessageDeframer(maxMessageSize: 100, compression: nil)
        feed(&deframer, [0, 0, 0])
        #expect(try deframer.next() == nil)
        #expect(deframer.hasPartialMessage)
        feed(&deframer, [0, 1, 42])
        #expect(try deframer.next() == [42])
    }

    @Test("an over-size message is RESOURCE_EXHAUSTED before it is buffered")
    func oversize() {
        var deframer = MessageDeframer(maxMessageSize: 10, compression: nil)
        feed(&deframer, [0, 0, 0, 0, 11])
        #expect(throws: RPCError.self) { try deframer.next() }
        do { _ = try deframer.next() } catch { #expect(error.code == .resourceExhausted) }
    }

    @Test("a compressed message without grpc-encoding is INTERNAL")
    func compressedWithoutEncoding() {
        var deframer = MessageDeframer(maxMessageSize: 10, compression: nil)
        feed(&deframer, frame([1], compressed: true))
        do { _ = try deframer.next(); Issue.record("expected an error") } catch { #expect(error.code == .internal) }
    }

    @Test("an invalid flag byte is INTERNAL")
    func invalidFlag() {
        var deframer = MessageDeframer(maxMessageSize: 10, compression: nil)
        feed(&deframer, [7, 0, 0, 0, 0])
        do { _ = try deframer.next(); Issue.record("expected an error") } catch { #expect(error.code == .internal) }
    }

    @Test("gzip messages are decompressed, and a zip bomb stops at the size limit")
    func gzip() throws {
        let payload = [UInt8](repeating: 65, count: 5000)
        let compressed = try MessageCompression.gzip.compress(payload[...])
        #expect(compressed.count < payload.count)
        var deframer = MessageDeframer(maxMessageSize: 10_000, compression: .gzip)
        feed(&deframer, frame(compressed, compressed: true))
        #expect(try deframer.next() == payload)
        // Flow control re-opens what was received, not what it decompressed to.
        #expect(deframer.lastWireSize == 5 + compressed.count)

        var small = MessageDeframer(maxMessageSize: 1000, compression: .gzip)
        feed(&small, frame(compressed, compressed: true))
        do { _ = try small.next(); Issue.record("expected an error") } catch { #expect(error.code == .resourceExhausted) }
    }

    @Test("corrupt gzip data is INTERNAL")
    func corruptGzip() {
        var deframer = MessageDeframer(maxMessageSize: 1000, compression: .gzip)
        feed(&deframer, frame([1, 2, 3, 4, 5, 6], compressed: true))
        do { _ = try deframer.next(); Issue.record("expected an error") } catch { #expect(error.code == .internal) }
    }
}
