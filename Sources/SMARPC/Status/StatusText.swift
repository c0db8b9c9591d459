/// Status messages and error details often quote what the client sent (an over-long VIN, say).
/// Whatever goes back in a trailer, or into a log line, is cut to a bounded size, so one bad
/// request can neither produce a response the client's header limits reject (grpcio refuses
/// metadata over 8–16 KiB, and the call then fails with an unrelated status or not at all) nor
/// a log line of megabytes.
public enum StatusText {
    /// At most `limit` UTF-8 bytes of `text`, marked when cut (a character cut in half becomes
    /// U+FFFD, so the result stays valid UTF-8).
    public static func bounded(_ text: String, limit: Int = 1024) -> String {
        let count = text.utf8.count
        guard count > limit else { return text }
        return String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "… (\(count) bytes, truncated)"
    }
}
