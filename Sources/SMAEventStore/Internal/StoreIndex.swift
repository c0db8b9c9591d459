import Foundation

/// The in-memory index of the log: where each position lives, each stream's positions, and the
/// event and command ids already stored (for idempotency).
struct StoreIndex: Sendable {
    /// The position of the last indexed event (0 when empty).
    var head: UInt64 = 0
    /// For position `p`, `locations[p - 1]` packs the segment number (high 24 bits) and the byte offset (low 40).
    /// The maps grow with the log: they are sharded/chunked so that growing never stalls the
    /// writer on one huge rehash or copy (see ``ShardedMap``).
    var locations = ChunkedArray()
    /// Each stream's event positions: version `v` is at `streams[id]![v - 1]`.
    var streams = ShardedMap<HashedString, [UInt64]>()
    /// The position of every stored event id.
    var eventIDs = ShardedMap<EventKey, UInt64>()
    /// The position of the first event of the append made for each command id.
    var commandIDs = ShardedMap<HashedString, UInt64>()

    static let offsetBits: UInt64 = 40
    static let offsetMask: UInt64 = (1 << offsetBits) - 1

    /// Packs a segment number and an offset into one location.
    static func location(segment: Int, offset: UInt64) -> UInt64 {
        (UInt64(segment) << offsetBits) | offset
    }

    /// The segment number and offset of `position`, if indexed.
    func location(of position: UInt64) -> (segment: Int, offset: UInt64)? {
        guard position >= 1, position <= UInt64(locations.count) else { return nil }
        let packed = locations[Int(position - 1)]
        return (Int(packed >> Self.offsetBits), packed & Self.offsetMask)
    }

    /// The stream's current version: the number of its events.
    func version(of stream: StreamID) -> UInt64 {
        version(of: HashedString(stream))
    }

    /// The stream's current version, by an already hashed stream id.
    func version(of stream: HashedString) -> UInt64 {
        UInt64(streams.withValue(for: stream) { $0.count } ?? 0)
    }

    /// The stream's event positions, nil for an unknown stream.
    func positions(of stream: StreamID) -> [UInt64]? {
        streams[HashedString(stream)]
    }

    /// The first position of the append made for `commandID`, if any.
    func position(ofCommand commandID: String) -> UInt64? {
        commandIDs[HashedString(commandID)]
    }

    /// Adds one event to the index; `commandID` only for the first event of an append.
    mutating func add(position: UInt64, location: UInt64, stream: StreamID, eventID: UUID, commandID: String?) {
        add(position: position, location: location, streamKey: HashedString(stream), eventID: eventID,
            commandKey: commandID.flatMap { $0.isEmpty ? nil : HashedString($0) })
    }

    /// ``add(position:location:stream:eventID:commandID:)`` with the ids already hashed.
    mutating func add(position: UInt64, location: UInt64, streamKey: HashedString, eventID: UUID, commandKey: HashedString?) {
        publish(position: position, location: location, streamKey: streamKey, commandKey: commandKey)
        eventIDs[EventKey(eventID)] = position
    }

    /// Everything of ``add(position:location:streamKey:eventID:commandKey:)`` that readers see:
    /// only the writer's planner looks event ids up, so the writer may add those a little later
    /// (``addEventID(_:at:)``), after it has resumed the appenders, before it plans again.
    mutating func publish(position: UInt64, location: UInt64, streamKey: HashedString, commandKey: HashedString?) {
        locations.append(location)
        streams.modify(streamKey, default: []) { $0.append(position) }
        if let commandKey { commandIDs[commandKey] = position }
        head = position
    }

    /// Records where the event with `eventID` is (the part of ``add(position:location:streamKey:eventID:commandKey:)``
    /// that ``publish(position:location:streamKey:commandKey:)`` leaves out).
    mutating func addEventID(_ eventID: UUID, at position: UInt64) {
        eventIDs[EventKey(eventID)] = position
    }
}
