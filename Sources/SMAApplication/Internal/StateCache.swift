import Synchronization

/// Recently used aggregate states by stream, so a command does not re-read its stream.
///
/// Coherent because this process is the store's only writer: every append goes through the
/// repository, which updates or drops the entry. Bounded: when full it is cleared (states are
/// rebuilt from the log on demand).
final class StateCache<State: Sendable>: Sendable {
    struct Entry: Sendable {
        var version: UInt64
        var state: State?
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ stream: String) -> Entry? {
        entries.withLock { $0[stream] }
    }

    func put(_ stream: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[stream] == nil { entries.removeAll(keepingCapacity: true) }
            entries[stream] = entry
        }
    }

    func remove(_ stream: String) {
        _ = entries.withLock { $0.removeValue(forKey: stream) }
    }
}
