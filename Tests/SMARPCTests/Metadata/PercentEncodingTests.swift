import SMARPC
import Testing

@Suite("grpc-message percent-encoding")
struct PercentEncodingTests {
    @Test("printable ASCII passes through untouched")
    func plain() {
        #expect(PercentEncoding.encode("Vehicle not found: 1HGCM82633A004352") == "Vehicle not found: 1HGCM82633A004352")
    }

    @Test("percent, control characters and UTF-8 are escaped", arguments: [
        ("100%", "100%25"), ("a\nb", "a%0Ab"), ("\t", "%09"), ("café", "caf%C3%A9"), ("😀", "%F0%9F%98%80"),
    ])
    func escaped(raw: String, encoded: String) {
        #expect(PercentEncoding.encode(raw) == encoded)
        #expect(PercentEncoding.decode(encoded) == raw)
    }

    @Test("malformed escapes decode literally")
    func malformed() {
        #expect(PercentEncoding.decode("50%") == "50%")
        #expect(PercentEncoding.decode("%zz") == "%zz")
        #expect(PercentEncoding.decode("%4") == "%4")
    }
}
