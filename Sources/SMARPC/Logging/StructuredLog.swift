import Glibc
import Synchronization

/// One structured (logfmt) line per notable event, written to standard error:
/// `ts=2026-11-25T16:05:59.123Z level=info event=server_listening host=127.0.0.1 port=50051`.
public struct StructuredLog: Sendable {
    /// Minimum level written.
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { switch self { case .debug: "debug"; case .info: "info"; case .warning: "warning"; case .error: "error" } }
    }

    public let minimumLevel: Level
    private static let lock = Mutex(())

    public init(minimumLevel: Level = .info) {
        self.minimumLevel = minimumLevel
    }

    /// Writes `event` with its fields, sorted by key for stable output.
    public func event(_ event: String, _ fields: [String: String] = [:], level: Level = .info) {
        guard level >= minimumLevel else { return }
        var line = "ts=\(Self.timestamp()) level=\(level.name) event=\(event)"
        for key in fields.keys.sorted() {
            line += " \(key)=\(Self.quote(fields[key]!))"
        }
        line += "\n"
        // One write(2) per line: lines from different threads never interleave.
        var bytes = Array(line.utf8)
        Self.lock.withLock { _ in
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }

    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.utf8.contains { $0 == 0x20 || $0 == 0x22 || $0 == 0x3D || $0 < 0x20 }
        guard needsQuotes else { return value }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
