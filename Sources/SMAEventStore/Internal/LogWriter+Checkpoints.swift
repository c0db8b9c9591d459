import Foundation

/// The writer's index checkpoints: deltas while it runs, a snapshot at close.
extension LogWriter {
    /// Each segment's first position and durable length, as a checkpoint records them.
    func extents() -> [Checkpoint.SegmentExtent] {
        let segments = core.shared.withLock { $0.segments }
        return zip(segments, segmentLengths).map { Checkpoint.SegmentExtent(firstPosition: $0.firstPosition, length: $1) }
    }

    /// Hands the entries since the last checkpoint to the background saver and starts a new delta.
    func saveDelta() {
        bytesSinceCheckpoint = 0
        guard !delta.isEmpty else { return }
        deltaSaver.save(delta, segments: extents())
        delta = IndexDelta(first: delta.first + delta.count)
    }

    /// At close: a full snapshot (fastest to open), which supersedes the deltas; if it cannot be
    /// written (counted), the last delta instead.
    func closingCheckpoint() {
        deltaSaver.drain()
        do {
            let index = core.shared.withLock { $0.index }
            try Checkpoint(index: index, segments: extents()).write(directory: core.directory)
            deltaSaver.removeAll()
            delta = IndexDelta(first: index.head + 1)
        } catch {
            core.counters.checkpointFailures.add(1, ordering: .relaxed)
            saveDelta()
        }
    }
}
