import Foundation
import SMAHTTP2

/// `sma-server`'s settings: command-line flags, each also settable from an environment
/// variable (flags win). `--help` prints them all.
public struct ServerConfiguration: Sendable {
    public var transport = HTTP2ServerConfiguration()
    /// Where the event store keeps its files.
    public var dataDirectory = "./sma-data"
    /// Log level name: debug, info, warning, error.
    public var logLevel = "info"
    /// Authentication mode. Only `development` exists until the security issue lands: every
    /// caller is trusted, and the server says so in its log at start.
    public var authMode = "development"

    public init() {
        transport.host = "127.0.0.1"
        transport.port = 50051
    }

    /// One documented option.
    struct Option: Sendable {
        let flag: String
        let env: String
        let help: String
        let apply: @Sendable (inout ServerConfiguration, String) throws(ConfigurationError) -> Void
    }

    static let options: [Option] = [
        Option(flag: "--host", env: "SMA_HOST", help: "address to listen on (default 127.0.0.1)") { $0.transport.host = $1 },
        Option(flag: "--port", env: "SMA_PORT", help: "TCP port (default 50051; 0 picks a free port)") { c, v throws(ConfigurationError) in
            c.transport.port = try integer(v, "--port", 0...65535) },
        Option(flag: "--data-dir", env: "SMA_DATA_DIR", help: "data directory of the embedded event store (default ./sma-data)") { $0.dataDirectory = $1 },
        Option(flag: "--max-concurrent-streams", env: "SMA_MAX_CONCURRENT_STREAMS", help: "HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS (default 1000)") { c, v throws(ConfigurationError) in
            c.transport.maxConcurrentStreams = UInt32(try integer(v, "--max-concurrent-streams", 1...1_000_000)) },
        Option(flag: "--max-message-size", env: "SMA_MAX_MESSAGE_SIZE", help: "largest request message in bytes (default 4194304)") { c, v throws(ConfigurationError) in
            c.transport.maxReceiveMessageSize = try integer(v, "--max-message-size", 1...(1 << 30)) },
        Option(flag: "--max-buffered-bytes", env: "SMA_MAX_BUFFERED_BYTES", help: "bytes of unfinished requests and unread responses all connections may hold together (default: a quarter of the memory limit, 64 MiB to 1 GiB)") { c, v throws(ConfigurationError) in
            c.transport.maxBufferedBytes = try integer(v, "--max-buffered-bytes", 1...(1 << 50)) },
        Option(flag: "--shutdown-grace", env: "SMA_SHUTDOWN_GRACE", help: "seconds in-flight calls may run after SIGTERM (default 10)") { c, v throws(ConfigurationError) in
            c.transport.shutdownGracePeriodNanoseconds = try nanoseconds(v, "--shutdown-grace") },
        Option(flag: "--loops", env: "SMA_LOOPS", help: "event-loop threads (default: CPUs available to the process, capped by a cgroup CPU quota)") { c, v throws(ConfigurationError) in
            c.transport.loopCount = try integer(v, "--loops", 1...256) },
        Option(flag: "--min-ping-interval", env: "SMA_MIN_PING_INTERVAL", help: "seconds between client pings before a strike (default 300)") { c, v throws(ConfigurationError) in
            c.transport.minPingIntervalNanoseconds = try nanoseconds(v, "--min-ping-interval") },
        Option(flag: "--keepalive-interval", env: "SMA_KEEPALIVE_INTERVAL", help: "seconds between server keepalive pings, 0 = off (default 7200)") { c, v throws(ConfigurationError) in
            c.transport.keepaliveIntervalNanoseconds = try nanoseconds(v, "--keepalive-interval") },
        Option(flag: "--handshake-timeout", env: "SMA_HANDSHAKE_TIMEOUT", help: "seconds a new connection has to complete the HTTP/2 handshake, 0 = no limit (default 20)") { c, v throws(ConfigurationError) in
            c.transport.handshakeTimeoutNanoseconds = try nanoseconds(v, "--handshake-timeout") },
        Option(flag: "--log-level", env: "SMA_LOG_LEVEL", help: "debug, info, warning or error (default info)") { c, v throws(ConfigurationError) in
            guard ["debug", "info", "warning", "error"].contains(v) else { throw .invalid("--log-level", v, "debug, info, warning or error") }
            c.logLevel = v },
        Option(flag: "--auth-mode", env: "SMA_AUTH_MODE", help: "authentication mode; only 'development' exists yet") { c, v throws(ConfigurationError) in
            guard v == "development" else { throw .invalid("--auth-mode", v, "'development' (OAuth arrives with the security issue)") }
            c.authMode = v },
    ]

    /// Reads the environment, then the arguments.
    public static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        for option in options {
            if let value = environment[option.env] { try option.apply(&configuration, value) }
        }
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--help" || argument == "-h" { throw .helpRequested }
            var flag = argument
            var value: String?
            if let eq = argument.firstIndex(of: "=") {
                flag = String(argument[..<eq])
                value = String(argument[argument.index(after: eq)...])
            }
            guard let option = options.first(where: { $0.flag == flag }) else { throw .unknownFlag(argument) }
            if value == nil {
                index += 1
                guard index < arguments.count else { throw .missingValue(flag) }
                value = arguments[index]
            }
            try option.apply(&configuration, value!)
            index += 1
        }
        if let budget = configuration.transport.maxBufferedBytes, budget < configuration.transport.maxReceiveMessageSize {
            throw .invalid("--max-buffered-bytes", String(budget), "at least --max-message-size (\(configuration.transport.maxReceiveMessageSize)): a largest message must fit")
        }
        return configuration
    }

    /// The `--help` text.
    public static var usage: String {
        var text = "usage: sma-server [options]\n\n"
        for option in options {
            text += "  \(option.flag.padding(toLength: 26, withPad: " ", startingAt: 0))\(option.help)  [env \(option.env)]\n"
        }
        return text
    }

    private static func integer(_ value: String, _ flag: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw .invalid(flag, value, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A duration in seconds (fractions allowed, at most ten years) as nanoseconds.
    private static func nanoseconds(_ value: String, _ flag: String) throws(ConfigurationError) -> UInt64 {
        let seconds = try double(value, flag)
        guard seconds <= 315_360_000 else { throw .invalid(flag, value, "a number of seconds up to 315360000 (ten years)") }
        return UInt64(seconds * 1e9)
    }

    private static func double(_ value: String, _ flag: String) throws(ConfigurationError) -> Double {
        guard let number = Double(value), number >= 0, number.isFinite else { throw .invalid(flag, value, "a non-negative number") }
        return number
    }
}

/// A configuration problem, reported before the server starts.
public enum ConfigurationError: Error, CustomStringConvertible {
    case helpRequested
    case unknownFlag(String)
    case missingValue(String)
    case invalid(String, String, String)

    public var description: String {
        switch self {
        case .helpRequested: ServerConfiguration.usage
        case .unknownFlag(let flag): "unknown option \(flag) (see --help)"
        case .missingValue(let flag): "option \(flag) needs a value"
        case .invalid(let flag, let value, let expected): "invalid value '\(value)' for \(flag): expected \(expected)"
        }
    }
}
