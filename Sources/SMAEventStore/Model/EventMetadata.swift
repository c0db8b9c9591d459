/// Who caused an event and why: the command that produced it and the tracing ids.
///
/// Empty strings are stored as absent values and read back as `nil`.
public struct EventMetadata: Hashable, Sendable {
    /// The id of the command whose handling produced the event; appends are idempotent per command id.
    public var commandID: String?
    /// The id shared by every message of one business flow.
    public var correlationID: String?
    /// The id of the message that directly caused this one.
    public var causationID: String?
    /// The authenticated caller (subject) that issued the command.
    public var subject: String?

    public init(commandID: String? = nil, correlationID: String? = nil, causationID: String? = nil, subject: String? = nil) {
        self.commandID = commandID.flatMap { $0.isEmpty ? nil : $0 }
        self.correlationID = correlationID.flatMap { $0.isEmpty ? nil : $0 }
        self.causationID = causationID.flatMap { $0.isEmpty ? nil : $0 }
        self.subject = subject.flatMap { $0.isEmpty ? nil : $0 }
    }
}
