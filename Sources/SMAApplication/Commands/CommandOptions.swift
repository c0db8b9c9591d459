/// Per-command options from the client: idempotency key, optimistic concurrency, tracing.
public struct CommandOptions: Sendable, Hashable {
    /// The client's idempotency key.
    public var commandId: String
    /// The stream version the client saw; `nil` lets the server retry conflicts itself.
    public var expectedVersion: UInt64?
    /// Correlation id for tracing, may be empty.
    public var correlationId: String
    /// The event that caused this command (process managers), may be empty.
    public var causationId: String

    public init(commandId: String, expectedVersion: UInt64? = nil, correlationId: String = "", causationId: String = "") {
        self.commandId = commandId
        self.expectedVersion = expectedVersion
        self.correlationId = correlationId
        self.causationId = causationId
    }
}

/// What a command changed.
public struct CommandOutcome: Sendable, Hashable {
    public var streamId: String
    /// Version of the stream after the command.
    public var streamVersion: UInt64
    /// Position of the last event appended (0 when none).
    public var logPosition: UInt64
    /// Number of events appended.
    public var eventCount: Int

    @inlinable
    public init(streamId: String, streamVersion: UInt64, logPosition: UInt64, eventCount: Int) {
        self.streamId = streamId
        self.streamVersion = streamVersion
        self.logPosition = logPosition
        self.eventCount = eventCount
    }
}
