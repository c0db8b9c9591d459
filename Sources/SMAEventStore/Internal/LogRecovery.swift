#if canImport(Glibc)
import Glibc
#endif

/// Opens the segments of a data directory and rebuilds the index: from the checkpoint if there is
/// a valid one, then by scanning the log after it.
///
/// A partial or damaged record at the end of the last segment (a torn write that was never
/// acknowledged) is truncated, together with the rest of its append. Damage followed by valid
/// records, damage in an older segment, or a missing segment is a ``EventStoreError/corrupt(file:offset:reason:)``.
enum LogRecovery {
    /// `checkpoint` is consumed: its index becomes the recovered one without a copy (a shared
    /// index would be copied whole by the scan's first insertion).
    static func recover(segmentsDirectory: String, checkpoint: consuming Checkpoint?) throws(EventStoreError) -> RecoveredLog {
        let listed = try FileSystem.list(segmentsDirectory)
            .compactMap { name in Segment.firstPosition(fileName: name) }
            .sorted()
        var segments: [Segment] = []
        for first in listed {
            let path = segmentsDirectory + "/" + Segment.fileName(firstPosition: first)
            segments.append(Segment(firstPosition: first, file: try FileDescriptor.open(path, flags: O_RDWR)))
        }
        if segments.isEmpty {
            if let checkpoint, checkpoint.index.head > 0 {
                throw .corrupt(file: segmentsDirectory, offset: 0, reason: "all segments are missing, but the checkpoint indexes \(checkpoint.index.head) events")
            }
            let path = segmentsDirectory + "/" + Segment.fileName(firstPosition: 1)
            let file = try FileDescriptor.open(path, flags: O_RDWR | O_CREAT)
            try FileSystem.syncDirectory(segmentsDirectory)
            return RecoveredLog(index: StoreIndex(), segments: [Segment(firstPosition: 1, file: file)], endOffset: 0, usedCheckpoint: false,
                                delta: IndexDelta(first: 1))
        }
        var scanner = SegmentScanner(index: StoreIndex())
        var startSegment = 0
        var startOffset: UInt64 = 0
        var usedCheckpoint = false
        var start: (Int, UInt64)?
        if let checkpoint { start = try checkpointStart(checkpoint, segments: segments, directory: segmentsDirectory) }
        if let start {
            scanner = SegmentScanner(index: checkpoint.take()!.index)
            (startSegment, startOffset) = start
            usedCheckpoint = true
        }
        var endOffset: UInt64 = 0
        for number in startSegment..<segments.count {
            let segment = segments[number]
            let expected = scanner.index.head + 1
            let resumesInside = number == startSegment && startOffset > 0
            guard resumesInside || segment.firstPosition == expected else {
                let missing = Segment.fileName(firstPosition: expected)
                throw .corrupt(
                    file: segmentsDirectory + "/" + missing, offset: 0,
                    reason: segment.firstPosition > expected
                        ? "missing segment: positions \(expected)…\(segment.firstPosition - 1) are absent"
                        : "segment \(Segment.fileName(firstPosition: segment.firstPosition)) overlaps the previous one (expected it to start at \(expected))"
                )
            }
            endOffset = try scanner.scan(
                segment: segment, number: number, from: number == startSegment ? startOffset : 0,
                isLast: number == segments.count - 1
            )
        }
        return RecoveredLog(index: scanner.index, segments: segments, endOffset: endOffset, usedCheckpoint: usedCheckpoint, delta: scanner.delta)
    }

    /// Where scanning resumes after `checkpoint`, or nil if the checkpoint does not match the files
    /// in a harmless way (then everything is scanned). Throws if acknowledged data is gone.
    private static func checkpointStart(_ checkpoint: Checkpoint, segments: [Segment], directory: String) throws(EventStoreError) -> (Int, UInt64)? {
        guard !checkpoint.segments.isEmpty else { return nil }
        let listed = Set(segments.map(\.firstPosition))
        for (number, extent) in checkpoint.segments.enumerated() {
            guard listed.contains(extent.firstPosition) else {
                throw .corrupt(file: directory + "/" + Segment.fileName(firstPosition: extent.firstPosition), offset: 0,
                               reason: "missing segment: the checkpoint indexes events in it")
            }
            guard number < segments.count, segments[number].firstPosition == extent.firstPosition else { return nil }
            let size = try segments[number].file.size()
            guard size >= extent.length else {
                throw .corrupt(file: segments[number].path, offset: size,
                               reason: "segment is \(size) bytes, shorter than the \(extent.length) bytes of acknowledged events the checkpoint indexes")
            }
        }
        return (checkpoint.segments.count - 1, checkpoint.segments[checkpoint.segments.count - 1].length)
    }
}
