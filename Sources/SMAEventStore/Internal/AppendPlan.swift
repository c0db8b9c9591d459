/// What the writer decided for one append request of a batch.
enum AppendPlan {
    /// The append is rejected.
    case failed(EventStoreError)
    /// The append is written with its first event at `firstPosition` and first stream version `firstVersion`.
    case accepted(firstPosition: UInt64, firstVersion: UInt64)
    /// A retry of the accepted append at `index` in the same batch: it gets that append's result.
    case sameAs(index: Int)
    /// A retry of an append already in the log: its events start at `position`; `count` is checked
    /// against the stored append when the retry came by event ids.
    case duplicate(position: UInt64, expectedCount: Int?)
}
