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

    /// Where one stream's entry lives. ``getWithSlot(_:)`` hands it out with the entry, so that the
    /// state after the command's append is stored with ``update(_:_:)`` — no second lookup by
    /// stream id. A slot that has left the cache meanwhile (dropped with its generation, or
    /// removed) takes the update harmlessly: it is no longer reachable, and the next command on
    /// the stream folds its state from the log, where the append already is.
    ///
    /// `@unchecked Sendable`: `entry` is read and written only under the cache's mutex.
    @usableFromInline
    final class Slot: @unchecked Sendable {
        @usableFromInline var entry: Entry

        @usableFromInline
        init(_ entry: Entry) { self.entry = entry }
    }

    @usableFromInline
    struct Generations: Sendable {
        @usableFromInline var current: [HashedString: Slot] = [:]
        @usableFromInline var previous: [HashedString: Slot] = [:]

        @usableFromInline init() {}
    }

    @usableFromInline let generations = Mutex(Generations())
    /// Entries per generation (the cache holds at most twice this).
    @usableFromInline let generationCapacity: Int

    @usableFromInline
    init(capacity: Int) { self.generationCapacity = max(1, capacity / 2) }

    @inlinable
    func get(_ stream: HashedString) -> Entry? { getWithSlot(stream)?.entry }

    /// The stream's entry and its slot, for a later ``update(_:_:)``.
    @inlinable
    func getWithSlot(_ stream: HashedString) -> (entry: Entry, slot: Slot)? {
        let (found, dropped) = generations.withLock { generations -> ((Entry, Slot)?, [HashedString: Slot]) in
            if let slot = generations.current[stream] { return ((slot.entry, slot), [:]) }
            guard let slot = generations.previous.removeValue(forKey: stream) else { return (nil, [:]) }
            return ((slot.entry, slot), Self.insert(slot, for: stream, into: &generations, capacity: generationCapacity))
        }
        Self.release(dropped)
        return found
    }

    @inlinable
    func put(_ stream: HashedString, _ entry: Entry) {
        let dropped = generations.withLock { generations -> [HashedString: Slot] in
            if let slot = generations.current[stream] {
                Self.store(entry, in: slot)
                return [:]
            }
            if let slot = generations.previous.removeValue(forKey: stream) {
                Self.store(entry, in: slot)
                return Self.insert(slot, for: stream, into: &generations, capacity: generationCapacity)
            }
            return Self.insert(Slot(entry), for: stream, into: &generations, capacity: generationCapacity)
        }
        Self.release(dropped)
    }

    /// Stores `entry` in a slot from ``getWithSlot(_:)``, unless it holds a newer one.
    @inlinable
    func update(_ slot: Slot, _ entry: Entry) {
        generations.withLock { _ in Self.store(entry, in: slot) }
    }

    /// Never go back: a slower command finishing after a faster one (or a load racing an
    /// append) must not replace a newer state with an older one. Called under the mutex.
    @inlinable
    static func store(_ entry: Entry, in slot: Slot) {
        if slot.entry.version <= entry.version { slot.entry = entry }
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
    static func insert(_ slot: Slot, for stream: HashedString, into generations: inout Generations, capacity: Int) -> [HashedString: Slot] {
        var dropped: [HashedString: Slot] = [:]
        if generations.current.count >= capacity {
            dropped = generations.previous
            generations.previous = generations.current
            generations.current = [:]
            generations.current.reserveCapacity(capacity)
        }
        generations.current[stream] = slot
        return dropped
    }

    /// Frees a dropped generation off the caller's thread (up to `capacity / 2` states: a
    /// noticeable pause on an event loop).
    @inlinable
    static func release(_ dropped: consuming [HashedString: Slot]) {
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
