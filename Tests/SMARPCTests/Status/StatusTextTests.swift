import SMARPC
import Testing

@Suite("Status texts are bounded")
struct StatusTextTests {
    @Test("short texts are unchanged")
    func short() {
        #expect(StatusText.bounded("vin 'ABC' has 3 characters") == "vin 'ABC' has 3 characters")
        #expect(StatusText.bounded(String(repeating: "a", count: 1024)).utf8.count == 1024)
    }

    @Test("long texts keep their first bytes and say how long they were")
    func long() {
        let bounded = StatusText.bounded(String(repeating: "a", count: 70_000), limit: 100)
        #expect(bounded == String(repeating: "a", count: 100) + "… (70000 bytes, truncated)")
    }

    @Test("a character cut in half becomes U+FFFD: the result is valid UTF-8")
    func cutCharacter() {
        // "é" is two bytes: a limit of 3 cuts the second one in half.
        let bounded = StatusText.bounded("aéé", limit: 4)
        #expect(bounded.hasPrefix("aé\u{FFFD}"))
        #expect(bounded.hasSuffix("(5 bytes, truncated)"))
    }
}
