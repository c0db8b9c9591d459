/// The state readers and the writer share, behind the store's mutex: only what is durable.
struct StoreShared: Sendable {
    var index: StoreIndex
    var segments: [Segment]
    var tail: LiveTail
    var closed: EventStoreError?
}
