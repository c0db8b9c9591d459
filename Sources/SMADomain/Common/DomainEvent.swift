/// An event an aggregate emits: a past-tense fact with a stable name and schema version.
///
/// The wire layer stores ``eventType`` as the event's type and maps the payload to protobuf;
/// ``schemaVersion`` lets it upcast old payloads when a schema changes.
public protocol DomainEvent: Hashable, Sendable {
    /// The stable, stored name of the event, e.g. `"VehicleRegistered"`.
    var eventType: String { get }
    /// The payload's schema version (starts at 1).
    var schemaVersion: Int { get }
}

extension DomainEvent {
    /// Every event is at schema version 1 until its payload changes.
    public var schemaVersion: Int { 1 }
}
