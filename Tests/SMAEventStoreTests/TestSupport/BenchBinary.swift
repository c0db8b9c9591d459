import Foundation

/// Finds the `sma-eventstore-bench` executable that SwiftPM built next to the test bundle.
enum BenchBinary {
    static let name = "sma-eventstore-bench"

    /// The executable's path, looking beside the running test binary, then in the package's build folders.
    static func locate() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["SMA_EVENTSTORE_BENCH"] { candidates.append(env) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(name).path)
            directory = directory.deletingLastPathComponent()
        }
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent(name).path)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for scratch in [".build-store", ".build"] {
            for configuration in ["debug", "release"] {
                candidates.append(packageRoot.appendingPathComponent("\(scratch)/\(configuration)/\(name)").path)
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
