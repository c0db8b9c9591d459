import Foundation
import SMAHTTP2

/// `sma-load`: SMA's load generator. See `sma-load --help`.

func printError(_ message: String) {
    FileHandle.standardError.write(Data("sma-load: \(message)\n".utf8))
}

let commandLine: LoadCommandLine
do {
    commandLine = try LoadCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    printError("error: \(error)\nRun 'sma-load --help' for usage.")
    exit(2)
}
if commandLine.showHelp {
    print(LoadCommandLine.usage)
    exit(0)
}
let configuration = commandLine.configuration

if let count = commandLine.dryRun {
    guard case .template(let template) = configuration.body else {
        if case .fixed(let bytes) = configuration.body { print(bytes.map { String(format: "%02x", $0) }.joined()) }
        exit(0)
    }
    var values = TemplateValues(vinCount: template.usesVIN ? configuration.vinCount : 0, seed: configuration.seed,
                                odometerOffset: configuration.odometerOffset)
    for i in 0..<count {
        // As if every request were in flight at once: VINs are not reused until the pool is exhausted.
        values.beginRequest(sequence: configuration.sequenceStart &+ UInt64(i), drawsVIN: template.usesVIN)
        var buffer: [UInt8] = []
        template.encode(into: &buffer, values: &values)
        print(buffer.map { String(format: "%02x", $0) }.joined())
    }
    exit(0)
}

let amount = configuration.requests.map { "\($0) requests" } ?? "\(configuration.durationSeconds!) s"
print("sma-load: \(configuration.path) on \(configuration.host):\(configuration.port), \(amount)"
    + "\(configuration.warmup > 0 ? " after \(configuration.warmup) warmup" : ""), \(configuration.connections) connections,"
    + " \(configuration.concurrency) in flight, seed \(configuration.seed)")
do {
    let report = try await LoadRunner.run(configuration)
    print(report.summary)
    print(report.logfmtLine)
    exit(0)
} catch {
    switch error {
    case .connectFailed(let reason):
        printError("error: \(reason)")
        exit(1)
    case .invalidConfiguration(let reason):
        printError("error: \(reason)\nRun 'sma-load --help' for usage.")
        exit(2)
    }
}
