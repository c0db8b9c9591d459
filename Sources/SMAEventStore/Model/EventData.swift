import Foundation

/// An event to append: what the domain produced, before the store assigns positions.
public struct EventData: Hashable, Sendable {
    /// The event's unique id; appending an id that is already stored is an idempotent retry.
    public var eventID: UUID
    /// The event's type name, e.g. `MaintenanceScheduled`.
    public var eventType: String
    /// The version of the payload's schema for this event type.
    public var schemaVersion: UInt32
    /// Command, correlation, causation and caller of the event.
    public var metadata: EventMetadata
    /// The payload bytes (protobuf-encoded by the domain).
    public var payload: [UInt8]

    public init(eventID: UUID = UUID(), eventType: String, schemaVersion: UInt32 = 1, metadata: EventMetadata = EventMetadata(), payload: [UInt8]) {
        self.eventID = eventID
        self.eventType = eventType
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payload = payload
    }
}
