/// The most recent events, already decoded, in a fixed-size ring: live subscribers and fresh reads
/// are served from memory; anything older is read from disk. Memory stays bounded by `capacity`.
struct LiveTail {
    private var ring: [RecordedEvent?]
    /// The position of the newest event in the ring (0 when empty).
    private(set) var newest: UInt64 = 0
    private var count = 0

    init(capacity: Int) {
        ring = Array(repeating: nil, count: max(capacity, 1))
    }

    /// The oldest position still in the ring, or nil when empty.
    var oldest: UInt64? { count == 0 ? nil : newest - UInt64(count) + 1 }

    /// Adds the next event, at `position` (it must be `newest + 1`, or the ring restarts at it).
    /// The event is moved in, not copied: `event` comes back holding the one it evicted (or nil),
    /// so the writer pays no retain/release per field of every event it publishes.
    mutating func push(_ event: inout RecordedEvent?, at position: UInt64) {
        if position != newest + 1 { count = 0 }
        swap(&ring[Int(position % UInt64(ring.count))], &event)
        newest = position
        count = min(count + 1, ring.count)
    }

    /// The event at `position` if it is still in the ring.
    func event(at position: UInt64) -> RecordedEvent? {
        guard let oldest, position >= oldest, position <= newest else { return nil }
        return ring[Int(position % UInt64(ring.count))]
    }

    /// Whether the event at `position` (which must be in the ring) passes `filter`, checked in
    /// place: a filtered subscription skips most events, and copying each one first would retain
    /// and release every field of it.
    func event(at position: UInt64, passes filter: CompiledFilter) -> Bool {
        let index = Int(position % UInt64(ring.count))
        // Through the buffer's pointer: subscripting the array copied the whole event (a retain
        // and release of each of its fields) before its two fields were read.
        return ring.withUnsafeBufferPointer { ring in
            switch ring[index] {
            case .some(let event):
                return filter.matches(stream: event.streamID, eventType: event.eventType)
            case .none:
                // Never "does not pass" for a missing event: a subscriber would silently skip it.
                preconditionFailure("position \(position) is not in the live tail")
            }
        }
    }

    /// Whether `position` is in the ring.
    func contains(_ position: UInt64) -> Bool {
        guard let oldest else { return false }
        return position >= oldest && position <= newest
    }
}
