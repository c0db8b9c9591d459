/// One queued append, waiting for the writer thread.
struct AppendRequest: Sendable {
    let stream: StreamID
    let expected: ExpectedVersion
    let events: [EventData]
    let continuation: UnsafeContinuation<Result<AppendResult, EventStoreError>, Never>
}
