/// One queued append, waiting for the writer thread.
struct AppendRequest: Sendable {
    let stream: StreamID
    let expected: ExpectedVersion
    let events: [EventData]
    let continuation: UnsafeContinuation<Result<AppendResult, EventStoreError>, Never>
    /// The stream id and command id as index keys, hashed by the appender: the writer thread,
    /// which every append passes through, then never hashes them (it used to, four times).
    let streamKey: HashedString
    let commandKey: HashedString?

    init(stream: StreamID, expected: ExpectedVersion, events: [EventData],
         continuation: UnsafeContinuation<Result<AppendResult, EventStoreError>, Never>) {
        self.stream = stream
        self.expected = expected
        self.events = events
        self.continuation = continuation
        self.streamKey = HashedString(stream)
        self.commandKey = Self.commandKey(of: events)
    }

    /// The command id an append registers (its first event's, if not empty) as an index key.
    static func commandKey(of events: [EventData]) -> HashedString? {
        guard let commandID = events.first?.metadata.commandID, !commandID.isEmpty else { return nil }
        return HashedString(commandID)
    }
}
