import SMADomain

/// Binds one domain aggregate to the command pipeline: how to fold its events, decide its
/// commands, and store its events as protobuf payloads.
public protocol Aggregate: Sendable {
    associatedtype State: AggregateState where State.Event == Event
    associatedtype Event: DomainEvent & Sendable
    associatedtype Command: Sendable

    /// Decides a command against the current state (`nil` for a new stream).
    static func decide(_ command: Command, _ state: State?, _ context: DecisionContext) throws(DomainError) -> [Event]
    /// Serializes an event as the payload stored in the log.
    static func encode(_ event: Event) -> [UInt8]
    /// Reads a stored payload back.
    static func decode(eventType: String, payload: [UInt8]) throws(CommandError) -> Event
}
