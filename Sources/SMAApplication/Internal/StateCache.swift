import Synchronization

/// Recently used aggregate states by stream, so a command does not re-read its stream.
///
/// Coherent because this process is the store's only writer: every append goes through the
/// repository, which updates or drops the entry. Bounded: when full it is cleared (states are
/// rebuilt from the log on demand).
@usableFromInline
final class StateCache<State: Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var version: UInt64
        @usableFromInline var state: State?

        @usableFromInline
        init(version: UInt64, state: State?) {
            self.version = version
            self.state = state
        }
    }

    @usableFromInline let entries = Mutex<[String: Entry]>([:])
    @usableFromInline let capacity: Int

    @usableFromInline
    init(capacity: Int) { self.capacity = capacity }

    @inlinable
    func get(_ stream: String) -> Entry? {
        entries.withLock { $0[stream] }
    }

    @inlinable
    func put(_ stream: String, _ entry: Entry) {
        entries.withLock { entries in
            // Never go back: a slower command finishing after a faster one (or a load racing an
            // append) must not replace a newer state with an older one.
            if let existing = entries[stream], existing.version > entry.version { return }
            if entries.count >= capacity, entries[stream] == nil { entries.removeAll(keepingCapacity: true) }
            entries[stream] = entry
        }
    }

    @inlinable
    func remove(_ stream: String) {
        _ = entries.withLock { $0.removeValue(forKey: stream) }
    }
}
