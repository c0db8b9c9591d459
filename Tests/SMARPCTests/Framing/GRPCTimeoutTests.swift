import SMARPC
import Testing

@Suite("grpc-timeout parsing")
struct GRPCTimeoutTests {
    @Test("every unit converts to nanoseconds", arguments: [
        ("1H", UInt64(3_600_000_000_000)), ("2M", 120_000_000_000), ("3S", 3_000_000_000),
        ("250m", 250_000_000), ("7u", 7_000), ("99999999n", 99_999_999),
    ])
    func units(value: String, nanoseconds: UInt64) {
        #expect(GRPCTimeout.parseNanoseconds(value) == nanoseconds)
    }

    @Test("malformed values are rejected", arguments: ["", "S", "10", "1x", "-1S", "123456789S", "1.5S", " 1S", "1s"])
    func malformed(value: String) {
        #expect(GRPCTimeout.parseNanoseconds(value) == nil)
    }

    @Test("huge hour values saturate instead of overflowing")
    func saturates() {
        #expect(GRPCTimeout.parseNanoseconds("99999999H") == UInt64.max)
    }
}
