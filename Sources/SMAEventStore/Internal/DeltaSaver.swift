import Dispatch

/// Writes the writer's ``IndexDelta``s in order on a background queue, so a periodic checkpoint
/// never stalls appends behind a multi-megabyte write and sync. A delta that fails to write is
/// retried before the next one (the chain must have no gap); failures are counted. If several keep
/// failing they are dropped (bounded memory): opening then scans the log from the gap on.
///
/// `@unchecked Sendable`: `unwritten` is only touched on `queue`.
final class DeltaSaver: @unchecked Sendable {
    private let directory: String
    private let counters: WriterCounters
    private let queue = DispatchQueue(label: "sma-eventstore-checkpoint")
    private var unwritten: [(delta: IndexDelta, segments: [Checkpoint.SegmentExtent])] = []
    private static let maxUnwritten = 4

    init(directory: String, counters: WriterCounters) {
        self.directory = directory
        self.counters = counters
    }

    /// Queues a delta for encoding and writing (both off the writer thread).
    func save(_ delta: IndexDelta, segments: [Checkpoint.SegmentExtent]) {
        queue.async { [self] in
            unwritten.append((delta, segments))
            if unwritten.count > Self.maxUnwritten { unwritten.removeAll() }
            writeUnwritten()
        }
    }

    /// Waits until every queued delta is written (or has failed).
    func drain() {
        queue.sync { writeUnwritten() }
    }

    /// Drops unwritten deltas and removes every delta file: a snapshot now covers them.
    func removeAll() {
        queue.sync {
            unwritten.removeAll()
            for delta in IndexDelta.files(in: directory) { FileSystem.remove(delta.path) }
        }
    }

    private func writeUnwritten() {
        while let next = unwritten.first {
            do {
                try next.delta.write(segments: next.segments, directory: directory)
            } catch {
                counters.checkpointFailures.add(1, ordering: .relaxed)
                return
            }
            unwritten.removeFirst()
        }
    }
}
