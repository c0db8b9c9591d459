import Synchronization

/// Collects what a process manager reports.
final class ReportLog: Sendable {
    private let entries = Mutex<[(String, [String: String])]>([])

    var all: [(String, [String: String])] { entries.withLock { $0 } }

    func record(_ name: String, _ fields: [String: String]) {
        entries.withLock { $0.append((name, fields)) }
    }
}
