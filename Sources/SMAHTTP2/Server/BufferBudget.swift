import Foundation
import Synchronization

/// The bytes of unfinished requests and of unread responses that all connections of one server
/// hold together, against one limit.
///
/// Each connection is bounded on its own (16 maximum-size messages each way), but a thousand
/// connections times that is more memory than any machine has: past this server-wide limit the
/// stream whose request or large response would go beyond it is answered RESOURCE_EXHAUSTED
/// (retry later), so a crowd of slow or hostile clients costs refusals, not the process being
/// killed for memory. Connections add and remove their changes as they happen (one relaxed
/// atomic add each), so the count is always the sum of what they hold.
final class BufferBudget: Sendable {
    let limit: Int
    private let held = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Bytes held now, across all connections.
    var heldBytes: Int { held.load(ordering: .relaxed) }

    /// Whether `bytes` more would go beyond the limit.
    func wouldExceed(adding bytes: Int) -> Bool { heldBytes + bytes > limit }

    /// Records a change of what one connection holds.
    func add(_ delta: Int) {
        if delta != 0 { held.add(delta, ordering: .relaxed) }
    }

    /// The default limit: a quarter of the memory this process may use (a cgroup memory limit
    /// when there is one, else the machine's RAM), between 64 MiB and 1 GiB, and at least two
    /// messages of the largest accepted size.
    static func defaultLimit(maxMessageSize: Int) -> Int {
        let memory = cgroupMemoryLimit() ?? Int(clamping: ProcessInfo.processInfo.physicalMemory)
        let quarter = min(max(memory / 4, 64 << 20), 1 << 30)
        return max(quarter, 2 * maxMessageSize)
    }

    /// A cgroup's memory limit in bytes (v2 `memory.max`, v1 `memory.limit_in_bytes`), nil without one.
    static func cgroupMemoryLimit() -> Int? {
        parseMemoryLimit(read("/sys/fs/cgroup/memory.max")) ?? parseMemoryLimit(read("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
    }

    /// "max" (v2) and v1's huge "no limit" value (a page-rounded `Int64.max`) mean no limit.
    static func parseMemoryLimit(_ text: String?) -> Int? {
        guard let text, let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              value > 0, value < (1 << 62) else { return nil }
        return value
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
