import Foundation
import SMAHTTP2

/// `sma-load`'s command line: parsing into a ``LoadConfiguration`` and the help text.
struct LoadCommandLine {
    var configuration = LoadConfiguration()
    /// `--dry-run N`: print N generated request messages as hex instead of connecting.
    var dryRun: Int?
    var showHelp = false

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = """
    sma-load — closed-loop gRPC load generator on SMA's own HTTP/2 transport (h2c, unary calls).

    USAGE
      sma-load --method PATH [options]

    TARGET
      --target HOST:PORT        server address (default 127.0.0.1:50051)
      --method PATH             unary method path, e.g. /grpc.health.v1.Health/Check (required)
      --authority NAME          :authority header (default HOST:PORT)
      --metadata KEY=VALUE      custom request header, repeatable (lowercase keys; -bin values
                                are sent as given, i.e. already base64)
      --timeout-ms N            per-call deadline sent as grpc-timeout and enforced by the
                                client (default 5000; 0 = none)

    LOAD
      --connections N           HTTP/2 connections (default 4)
      --concurrency N           calls in flight in total, spread over the connections (default 256)
      --requests N              measured requests (default 10000)
      --duration S              measure for S seconds instead of a request count
      --warmup N                requests sent first and not measured (default 0)
      --discard-responses       do not deframe/check response messages (slightly cheaper)

    REQUEST BODY (a serialized protobuf message; the tool adds the gRPC frame)
      --body-hex HEX            fixed message in hex ('' = empty message, the default)
      --body-file FILE          fixed message read from FILE
      --body-template FILE      a different message per request, from a template (below)
      --body-template-text T    the same, given inline
      --vins N                  size of the VIN pool for {vin}/{odometer} (default 1000)
      --seed N                  random seed for VINs, odometers, {uuid}, {rand}, {choice}
                                (default: random, printed)
      --seq-start N             first {seq} value (default 1)
      --odometer-offset KM      added to every {odometer} reading (default 0)
      --dry-run N               print N generated messages as hex and exit (no connection)

    OUTPUT
      A summary (requests, ok/failed, non-OK status codes with a sample message, throughput,
      latency p50/p90/p99/max, client CPU per request), then one logfmt line:
        load ok=… failed=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… codes=OK:123,UNAVAILABLE:2 cpu_us_per_req=…
      Exit code 0 when the run took place (whatever the statuses), 1 when a connection could
      not be opened, 2 on a usage error.

    BODY TEMPLATES
    \(BodyTemplate.syntax.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))

    EXAMPLES
      sma-load --target 127.0.0.1:50051 --method /grpc.health.v1.Health/Check --requests 300000
      sma-load --method /sma.v1.Vehicles/RecordOdometer --body-template odometer.tmpl \\
               --vins 5000 --duration 30 --concurrency 512 --metadata x-tenant=acme
    """

    static func parse(_ arguments: [String]) throws(UsageError) -> LoadCommandLine {
        var result = LoadCommandLine()
        var configuration = LoadConfiguration()
        configuration.seed = UInt64.random(in: 1...UInt64(UInt32.max))
        var requests: Int?
        var bodySources = 0
        var methodGiven = false
        var index = 0

        func value(_ option: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(option) needs a value") }
            return arguments[index]
        }
        func integer(_ option: String, minimum: Int = 0) throws(UsageError) -> Int {
            let text = try value(option)
            guard let number = Int(text), number >= minimum else {
                throw UsageError(description: "\(option) takes an integer >= \(minimum), got '\(text)'")
            }
            return number
        }
        func readFile(_ path: String, option: String) throws(UsageError) -> Data {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError(description: "\(option): cannot read '\(path)'")
            }
            return data
        }
        func compileTemplate(_ text: String) throws(UsageError) -> BodyTemplate {
            do {
                return try BodyTemplate(parsing: text)
            } catch {
                throw UsageError(description: "body template: \(error)")
            }
        }

        while index < arguments.count {
            let option = arguments[index]
            switch option {
            case "-h", "--help":
                result.showHelp = true
            case "--target":
                let target = try value(option)
                guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]),
                      (1...65535).contains(port), colon > target.startIndex else {
                    throw UsageError(description: "--target takes HOST:PORT, got '\(target)'")
                }
                var host = String(target[..<colon])
                if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                configuration.host = host
                configuration.port = port
            case "--method":
                configuration.path = try value(option)
                methodGiven = true
                guard configuration.path.hasPrefix("/"), configuration.path.dropFirst().contains("/") else {
                    throw UsageError(description: "--method takes /package.Service/Method, got '\(configuration.path)'")
                }
            case "--authority":
                configuration.authority = try value(option)
            case "--metadata":
                let pair = try value(option)
                guard let equals = pair.firstIndex(of: "="), equals > pair.startIndex else {
                    throw UsageError(description: "--metadata takes KEY=VALUE, got '\(pair)'")
                }
                configuration.metadata.append((String(pair[..<equals]).lowercased(), String(pair[pair.index(after: equals)...])))
            case "--timeout-ms":
                let timeout = try integer(option)
                guard timeout <= 86_400_000 else {
                    throw UsageError(description: "--timeout-ms takes at most 86400000 (a day; 0 = no deadline), got '\(timeout)'")
                }
                configuration.timeoutMilliseconds = timeout == 0 ? nil : timeout
            case "--connections":
                configuration.connections = try integer(option, minimum: 1)
            case "--concurrency":
                configuration.concurrency = try integer(option, minimum: 1)
            case "--requests":
                requests = try integer(option, minimum: 1)
            case "--duration":
                let text = try value(option)
                guard let seconds = Double(text), seconds > 0, seconds <= 31_536_000 else {
                    throw UsageError(description: "--duration takes a positive number of seconds up to 31536000 (a year), got '\(text)'")
                }
                configuration.durationSeconds = seconds
            case "--warmup":
                configuration.warmup = try integer(option)
            case "--discard-responses":
                configuration.checksResponses = false
            case "--body-hex":
                let text = try value(option).filter { !$0.isWhitespace }
                guard let bytes = Self.decodeHex(text) else {
                    throw UsageError(description: "--body-hex takes an even number of hex digits, got '\(text)'")
                }
                configuration.body = .fixed(bytes)
                bodySources += 1
            case "--body-file":
                configuration.body = .fixed([UInt8](try readFile(try value(option), option: option)))
                bodySources += 1
            case "--body-template":
                let data = try readFile(try value(option), option: option)
                configuration.body = .template(try compileTemplate(String(decoding: data, as: UTF8.self)))
                bodySources += 1
            case "--body-template-text":
                configuration.body = .template(try compileTemplate(try value(option)))
                bodySources += 1
            case "--vins":
                configuration.vinCount = try integer(option, minimum: 1)
            case "--seed":
                let text = try value(option)
                guard let seed = UInt64(text) else { throw UsageError(description: "--seed takes an unsigned integer, got '\(text)'") }
                configuration.seed = seed
            case "--seq-start":
                let text = try value(option)
                guard let start = UInt64(text) else { throw UsageError(description: "--seq-start takes an unsigned integer, got '\(text)'") }
                configuration.sequenceStart = start
            case "--odometer-offset":
                let text = try value(option)
                guard let offset = UInt64(text) else { throw UsageError(description: "--odometer-offset takes an unsigned integer, got '\(text)'") }
                configuration.odometerOffset = offset
            case "--dry-run":
                result.dryRun = try integer(option, minimum: 1)
            default:
                throw UsageError(description: "unknown option '\(option)'")
            }
            index += 1
        }
        if result.showHelp { return result }
        guard bodySources <= 1 else {
            throw UsageError(description: "give only one of --body-hex, --body-file, --body-template, --body-template-text")
        }
        if result.dryRun == nil {
            guard methodGiven else { throw UsageError(description: "--method is required, e.g. --method /grpc.health.v1.Health/Check") }
            if requests != nil && configuration.durationSeconds != nil {
                throw UsageError(description: "give either --requests or --duration, not both")
            }
            guard configuration.concurrency >= configuration.connections else {
                throw UsageError(description: "--concurrency (\(configuration.concurrency)) must be at least --connections (\(configuration.connections))")
            }
        }
        configuration.requests = configuration.durationSeconds == nil ? (requests ?? 10_000) : nil
        result.configuration = configuration
        return result
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
