import Dispatch
import SMAEventStore
import Synchronization

/// Recently used aggregate states by stream, so a command does not re-read its stream.
///
/// Coherent because this process is the store's only writer: every append goes through the
/// repository, which updates or drops the entry.
///
/// Bounded with two generations: new and used entries go to `current`; when it is full it
/// becomes `previous` and the old `previous` is dropped. A hit in `previous` moves the entry
/// back to `current`, so streams in use survive every rotation and only those unused for a
/// whole generation are forgotten (an approximate LRU without per-hit bookkeeping). Clearing
/// everything when full would make every active stream re-read its log at once.
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

    @usableFromInline
    struct Generations: Sendable {
        @usableFromInline var current: [HashedString: Entry] = [:]
        @usableFromInline var previous: [HashedString: Entry] = [:]

        @usableFromInline init() {}
    }

    @usableFromInline let generations = Mutex(Generations())
    /// Entries per generation (the cache holds at most twice this).
    @usableFromInline let generationCapacity: Int

    @usableFromInline
    init(capacity: Int) { self.generationCapacity = max(1, capacity / 2) }

    @inlinable
    func get(_ stream: HashedString) -> Entry? {
        let (entry, dropped) = generations.withLock { generations -> (Entry?, [HashedString: Entry]) in
            if let entry = generations.current[stream] { return (entry, [:]) }
            guard let entry = generations.previous.removeValue(forKey: stream) else { return (nil, [:]) }
            return (entry, Self.insert(entry, for: stream, into: &generations, capacity: generationCapacity))
        }
        Self.release(dropped)
        return entry
    }

    @inlinable
    func put(_ stream: HashedString, _ entry: Entry) {
        let dropped = generations.withLock { generations -> [HashedString: Entry] in
            if let index = generations.current.index(forKey: stream) {
                // Never go back: a slower command finishing after a faster one (or a load racing
                // an append) must not replace a newer state with an older one.
                if generations.current.values[index].version <= entry.version { generations.current.values[index] = entry }
                return [:]
            }
            var newest = entry
            if let older = generations.previous.removeValue(forKey: stream), older.version > entry.version { newest = older }
            return Self.insert(newest, for: stream, into: &generations, capacity: generationCapacity)
        }
        Self.release(dropped)
    }

    @inlinable
    func remove(_ stream: HashedString) {
        generations.withLock { generations in
            generations.current.removeValue(forKey: stream)
            generations.previous.removeValue(forKey: stream)
        }
    }

    /// Inserts into `current`, rotating first when it is full; returns the generation dropped.
    @inlinable
    static func insert(_ entry: Entry, for stream: HashedString, into generations: inout Generations, capacity: Int) -> [HashedString: Entry] {
        var dropped: [HashedString: Entry] = [:]
        if generations.current.count >= capacity {
            dropped = generations.previous
            generations.previous = generations.current
            generations.current = [:]
            generations.current.reserveCapacity(capacity)
        }
        generations.current[stream] = entry
        return dropped
    }

    /// Frees a dropped generation off the caller's thread (up to `capacity / 2` states: a
    /// noticeable pause on an event loop).
    @inlinable
    static func release(_ dropped: consuming [HashedString: Entry]) {
        guard !dropped.isEmpty else { return }
        let box = DroppedGeneration(dropped)
        DispatchQueue.global(qos: .utility).async { box.clear() }
    }
}

/// Carries a dropped cache generation to a background thread to be freed there.
@usableFromInline
final class DroppedGeneration<Value: Sendable>: @unchecked Sendable {
    // @unchecked: written once in init, then cleared exactly once by the background job.
    @usableFromInline var value: Value?

    @usableFromInline
    init(_ value: Value) { self.value = value }

    @usableFromInline
    func clear() { value = nil }
}
