// sma-eventstore-bench: benchmarks the file event store, and hosts the crash-test child.
//
//   sma-eventstore-bench bench <scratch-dir>          run the benchmark, last line a logfmt summary
//   sma-eventstore-bench appends <scratch-dir> <writers> <seconds>
//                                                     only the durable-append phase (for profiling)
//   sma-eventstore-bench crash-child <dir> <ack-file> <writers>
//                                                     append forever, logging each acknowledged append
import Foundation

let arguments = CommandLine.arguments

/// Runs `body`; a failure (a missing directory, a full disk, a damaged store) is one line on
/// stderr and exit status 1, not a crash report.
func run(_ body: () async throws -> Void) async {
    do {
        try await body()
    } catch {
        FileHandle.standardError.write(Data("sma-eventstore-bench: \(error)\n".utf8))
        exit(1)
    }
}

switch arguments.count > 1 ? arguments[1] : "" {
case "bench" where arguments.count == 3:
    await run { try await Benchmark(directory: arguments[2]).run() }
case "appends" where arguments.count == 5:
    guard let writers = Int(arguments[3]), writers > 0, let seconds = Double(arguments[4]), seconds > 0 else {
        FileHandle.standardError.write(Data("appends: <writers> and <seconds> must be positive numbers\n".utf8))
        exit(2)
    }
    await run { try await Benchmark(directory: arguments[2]).runAppends(writers: writers, seconds: seconds) }
case "crash-child" where arguments.count == 5:
    await run { try await CrashChild(directory: arguments[2], ackPath: arguments[3], writers: Int(arguments[4]) ?? 8).run() }
default:
    FileHandle.standardError.write(Data("""
    usage: sma-eventstore-bench bench <scratch-dir>
           sma-eventstore-bench appends <scratch-dir> <writers> <seconds>
           sma-eventstore-bench crash-child <dir> <ack-file> <writers>

    """.utf8))
    exit(2)
}
