import Foundation
import SMARPC

/// The outcome of a load run: counts by status, throughput, latency percentiles and the
/// client's own CPU cost.
public struct LoadReport: Sendable {
    /// Measured calls completed (warmup excluded).
    public var requests = 0
    public var countsByCode: [RPCError.Code: Int] = [:]
    /// The first status message seen for each non-OK code.
    public var sampleMessages: [RPCError.Code: String] = [:]
    /// From the first measured request sent to the last measured response.
    public var elapsedNanoseconds: UInt64 = 0
    public var p50Nanoseconds: UInt64 = 0
    public var p90Nanoseconds: UInt64 = 0
    public var p99Nanoseconds: UInt64 = 0
    public var maxNanoseconds: UInt64 = 0
    /// Process CPU time (user + system) over the measured window.
    public var cpuUserMicroseconds: Double = 0
    public var cpuSystemMicroseconds: Double = 0
    /// Requests that could not be started because every connection was lost.
    public var notStarted = 0
    /// Connections that ended abnormally during the run.
    public var connectionErrors: [String] = []

    public var ok: Int { countsByCode[.ok] ?? 0 }
    public var failed: Int { requests - ok }
    public var requestsPerSecond: Double {
        elapsedNanoseconds == 0 ? 0 : Double(requests) / (Double(elapsedNanoseconds) / 1e9)
    }
    public var cpuMicrosecondsPerRequest: Double {
        requests == 0 ? 0 : (cpuUserMicroseconds + cpuSystemMicroseconds) / Double(requests)
    }

    /// Fills the percentiles (nearest rank) from unsorted latencies.
    mutating func setLatencies(_ latencies: inout [UInt64]) {
        guard !latencies.isEmpty else { return }
        latencies.sort()
        func rank(_ p: Double) -> UInt64 {
            latencies[max(0, min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1))]
        }
        p50Nanoseconds = rank(0.50)
        p90Nanoseconds = rank(0.90)
        p99Nanoseconds = rank(0.99)
        maxNanoseconds = latencies[latencies.count - 1]
    }

    /// `OK:123,UNAVAILABLE:2` in code order.
    public var codesField: String {
        RPCError.Code.allCases.compactMap { code in countsByCode[code].map { "\(code):\($0)" } }.joined(separator: ",")
    }

    /// The final machine-readable line.
    public var logfmtLine: String {
        "load ok=\(ok) failed=\(failed) rps=\(Self.format(requestsPerSecond, 0)) p50_ms=\(Self.ms(p50Nanoseconds))"
            + " p90_ms=\(Self.ms(p90Nanoseconds)) p99_ms=\(Self.ms(p99Nanoseconds)) max_ms=\(Self.ms(maxNanoseconds))"
            + " codes=\(codesField.isEmpty ? "none" : codesField) cpu_us_per_req=\(Self.format(cpuMicrosecondsPerRequest, 2))"
    }

    /// The human summary.
    public var summary: String {
        var lines = [
            "requests    \(requests)  (ok \(ok), failed \(failed)\(notStarted > 0 ? ", not started \(notStarted)" : ""))",
            "duration    \(Self.format(Double(elapsedNanoseconds) / 1e9, 3)) s",
            "throughput  \(Self.format(requestsPerSecond, 0)) req/s",
            "latency ms  p50 \(Self.ms(p50Nanoseconds))  p90 \(Self.ms(p90Nanoseconds))  p99 \(Self.ms(p99Nanoseconds))  max \(Self.ms(maxNanoseconds))",
            "client CPU  \(Self.format(cpuMicrosecondsPerRequest, 2)) µs/request  (user \(Self.format(cpuUserMicroseconds / 1e6, 2)) s, sys \(Self.format(cpuSystemMicroseconds / 1e6, 2)) s)",
            "status codes",
        ]
        for code in RPCError.Code.allCases {
            guard let count = countsByCode[code] else { continue }
            var line = "  \(code.description.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count)"
            if let sample = sampleMessages[code], !sample.isEmpty { line += "  e.g. \"\(sample)\"" }
            lines.append(line)
        }
        for error in connectionErrors { lines.append("connection  \(error)") }
        return lines.joined(separator: "\n")
    }

    static func ms(_ nanoseconds: UInt64) -> String { format(Double(nanoseconds) / 1e6, 3) }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
