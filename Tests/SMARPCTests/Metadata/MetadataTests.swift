@testable import SMARPC
import Testing

@Suite("Metadata")
struct MetadataTests {
    @Test("keys are lower-cased and values kept in order")
    func order() {
        var metadata = Metadata()
        metadata.add("X-Dealer", "a")
        metadata.add("x-dealer", "b")
        #expect(metadata[stringValues: "x-dealer"] == ["a", "b"])
        #expect(metadata.first("X-DEALER") == "a")
    }

    @Test("raw header blocks match arriving headers in place and copy whole-header prefixes")
    func rawHeaderMatching() {
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        var previous = RawHeaderBlock()
        for (name, value) in [("user-agent", "grpc-python/1.0"), ("x-trace", "abc")] {
            bytes(name).withUnsafeBytes { n in bytes(value).withUnsafeBytes { v in previous.append(name: n, value: v) } }
        }
        func match(_ name: String, _ value: String, at offset: Int) -> Int? {
            bytes(name).withUnsafeBytes { n in bytes(value).withUnsafeBytes { v in previous.offset(afterMatching: n, v, at: offset) } }
        }
        let first = match("user-agent", "grpc-python/1.0", at: 0)
        #expect(first == 6 + 10 + 15)
        #expect(match("x-trace", "abc", at: first!) == previous.byteCount)
        #expect(match("x-trace", "abd", at: first!) == nil)
        #expect(match("x-trac", "eabc", at: first!) == nil)
        #expect(match("user-agent", "grpc-python/1.0", at: previous.byteCount) == nil)
        var copy = RawHeaderBlock()
        copy.append(prefixOf: previous, byteCount: first!)
        #expect(copy.metadata().first("user-agent") == "grpc-python/1.0")
        #expect(copy.metadata().first("x-trace") == nil)
        copy.append(prefixOf: previous, byteCount: 0)
        #expect(copy.byteCount == first!)
    }

    @Test("raw header blocks answer name-prefix questions without parsing")
    func rawHeaderPrefix() {
        var block = RawHeaderBlock()
        func add(_ name: String, _ value: String) {
            Array(name.utf8).withUnsafeBytes { n in Array(value.utf8).withUnsafeBytes { v in block.append(name: n, value: v) } }
        }
        #expect(!block.containsName(withPrefix: "x-sma-"))
        add("user-agent", "x-sma-in-a-value")
        add("x-sm", "short name")
        #expect(!block.containsName(withPrefix: "x-sma-"))
        add("x-sma-roles", "advisor")
        #expect(block.containsName(withPrefix: "x-sma-"))
        #expect(block.containsName(withPrefix: "user-"))
        #expect(!block.containsName(withPrefix: "x-sma-rolesx"))
    }

    @Test("raw header blocks parse ASCII and base64 -bin values, padded or not")
    func rawHeaders() {
        var block = RawHeaderBlock()
        func add(_ name: String, _ value: String) {
            Array(name.utf8).withUnsafeBytes { n in Array(value.utf8).withUnsafeBytes { v in block.append(name: n, value: v) } }
        }
        add("x-trace", "abc")
        add("x-blob-bin", "AAEC")   // [0, 1, 2]
        add("x-short-bin", "AAE")   // unpadded [0, 1]
        add("x-bad-bin", "!!!")     // invalid: dropped
        let metadata = block.metadata()
        #expect(metadata.first("x-trace") == "abc")
        #expect(metadata[binaryValues: "x-blob-bin"] == [[0, 1, 2]])
        #expect(metadata[binaryValues: "x-short-bin"] == [[0, 1]])
        #expect(metadata[binaryValues: "x-bad-bin"].isEmpty)
    }

    @Test("binary values are base64-encoded on the wire")
    func wire() {
        var metadata = Metadata()
        metadata.add("x-blob-bin", binary: [0xFF, 0x00])
        metadata.add("x-text", "hi")
        let wire = metadata.wireHeaders()
        #expect(wire.map { String(decoding: $0.value, as: UTF8.self) } == ["/wA=", "hi"])
    }

    @Test("key and value validation", arguments: [("x-ok_1.2", true), ("X-Upper", false), ("", false), ("x y", false)])
    func keys(key: String, valid: Bool) {
        #expect(Metadata.isValidKey(key) == valid)
    }
}
