/// What recovery hands to the store: the index, the open segments and where the next write goes.
struct RecoveredLog {
    var index: StoreIndex
    var segments: [Segment]
    /// The byte length of the last segment: the offset of the next write.
    var endOffset: UInt64
    /// Whether the index came from a checkpoint (only the log after it was scanned).
    var usedCheckpoint: Bool
    /// The index entries of the events scanned after the checkpoint: the start of the next delta.
    var delta: IndexDelta
}
