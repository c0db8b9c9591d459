import SMAEventStore
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

    @usableFromInline let entries = Mutex<[HashedString: Entry]>([:])
    @usableFromInline let capacity: Int

    @usableFromInline
    init(capacity: Int) { self.capacity = capacity }

    @inlinable
    func get(_ stream: HashedString) -> Entry? {
        entries.withLock { $0[stream] }
    }

    @inlinable
    func put(_ stream: HashedString, _ entry: Entry) {
        entries.withLock { entries in
            if let index = entries.index(forKey: stream) {
                // Never go back: a slower command finishing after a faster one (or a load racing
                // an append) must not replace a newer state with an older one.
                if entries.values[index].version <= entry.version { entries.values[index] = entry }
                return
            }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[stream] = entry
        }
    }

    @inlinable
    func remove(_ stream: HashedString) {
        _ = entries.withLock { $0.removeValue(forKey: stream) }
    }
}
