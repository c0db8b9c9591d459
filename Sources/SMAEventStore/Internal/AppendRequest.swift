/// One queued append, waiting for the writer thread.
struct AppendRequest: Sendable {
    let stream: StreamID
    let expected: ExpectedVersion
    let events: [EventData]
    let completion: AppendCompletion
    /// The stream id and command id as index keys, hashed by the appender: the writer thread,
    /// which every append passes through, then never hashes them (it used to, four times).
    let streamKey: HashedString
    let commandKey: HashedString?

    init(stream: StreamID, expected: ExpectedVersion, events: [EventData],
         completion: AppendCompletion) {
        self.stream = stream
        self.expected = expected
        self.events = events
        self.completion = completion
        self.streamKey = HashedString(stream)
        self.commandKey = Self.commandKey(of: events)
    }

    /// The command id an append registers (its first event's, if not empty) as an index key.
    static func commandKey(of events: [EventData]) -> HashedString? {
        guard let commandID = events.first?.metadata.commandID, !commandID.isEmpty else { return nil }
        return HashedString(commandID)
    }
}

/// Who hears an append's outcome: an awaiting task, or a callback (run on the writer thread:
/// it must return quickly and never block).
enum AppendCompletion: Sendable {
    case continuation(UnsafeContinuation<Result<AppendResult, EventStoreError>, Never>)
    case callback(@Sendable (Result<AppendResult, EventStoreError>) -> Void)

    func resume(returning result: Result<AppendResult, EventStoreError>) {
        switch self {
        case .continuation(let continuation): continuation.resume(returning: result)
        case .callback(let callback): callback(result)
        }
    }
}
