import Foundation

/// An event as stored in the log, with its global position and stream version.
public struct RecordedEvent: Hashable, Sendable {
    /// The event's position in the whole log (dense, from 1).
    public var position: LogPosition
    /// The stream the event belongs to.
    public var streamID: StreamID
    /// The event's version in its stream (dense, from 1).
    public var streamVersion: UInt64
    /// The event's unique id.
    public var eventID: UUID
    /// The event's type name.
    public var eventType: String
    /// The version of the payload's schema.
    public var schemaVersion: UInt32
    /// When the store appended the event (microsecond precision).
    public var timestamp: Date
    /// Command, correlation, causation and caller of the event.
    public var metadata: EventMetadata
    /// The payload bytes.
    public var payload: [UInt8]

    public init(
        position: LogPosition, streamID: StreamID, streamVersion: UInt64, eventID: UUID, eventType: String,
        schemaVersion: UInt32, timestamp: Date, metadata: EventMetadata, payload: [UInt8]
    ) {
        self.position = position
        self.streamID = streamID
        self.streamVersion = streamVersion
        self.eventID = eventID
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.timestamp = timestamp
        self.metadata = metadata
        self.payload = payload
    }
}
