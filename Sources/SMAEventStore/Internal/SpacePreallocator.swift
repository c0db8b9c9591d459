import Dispatch
import Synchronization

/// Keeps zeroed, synced space ahead of the writer in the current segment, written on a background
/// queue.
///
/// An append that extends its file makes `fdatasync` persist the new file size as well as the
/// data; overwriting space that already exists on disk syncs the data alone. Measured here (ext4 on the VM's disk): a 200-byte append plus sync
/// 229–297 µs, the same overwrite 166–207 µs; a 50 KiB batch 347–425 µs against 209–222 µs.
/// So, as databases do with their write-ahead logs, the log is written into zeros written ahead
/// of it: each job writes `step` bytes of zeros past the end and syncs them, while the writer goes
/// on below.
///
/// No zeros go past `segmentSize`, where the segment rolls, so a rolled segment is all records;
/// `close()` cuts the zeros off (`LogWriter.finishSegment`, which a roll also calls first, as a
/// check: the segment size may have been lowered since the zeros were written),
/// so a closed store looks as it always did. After a crash the scan at open recognises the zeros
/// after the last record (`SegmentScanner`) and keeps them for the writer.
///
/// A job never touches bytes the writer may write: it starts at or after the end of the writer's
/// data and of the zeroed space, and the writer waits for a running job before it writes past the
/// zeroed space. Failing to preallocate is harmless (writes extend the file as before) and counted.
///
/// `@unchecked Sendable`: `segment`, `zeroedEnd`, `limit` and `job` belong to the writer thread;
/// the background job only reads its own captured values and sets `jobResult`.
final class SpacePreallocator: @unchecked Sendable {
    /// Bytes zeroed by one job; the next starts once less than half of it is left ahead.
    static let step: UInt64 = 8 << 20
    private static let zeros = [UInt8](repeating: 0, count: 1 << 20)

    private let counters: WriterCounters
    private let queue = DispatchQueue(label: "sma-eventstore-preallocate")
    private let running = DispatchGroup()
    private var segment: Segment
    /// Bytes `0..<zeroedEnd` of `segment` are on disk (records or synced zeros).
    private var zeroedEnd: UInt64
    /// No zeros past this offset: the segment rolls there.
    private let limit: UInt64
    /// No zeros are written when less than this would be left free on the filesystem after them.
    private let freeSpaceReserve: UInt64
    /// The end of the running job's zeros, or nil.
    private var job: UInt64?
    /// 0 while a job runs, 1 when it succeeded, 2 when it failed, 3 when the disk is nearly full.
    private let jobResult = Atomic<Int>(0)
    /// A job failed or was skipped in this segment (e.g. the disk is nearly full): no more until
    /// the next segment.
    private var failed = false

    /// `existing` is the current segment's size on disk (its records and any zeros after them).
    init(segment: Segment, existing: UInt64, limit: UInt64, freeSpaceReserve: UInt64, counters: WriterCounters) {
        self.segment = segment
        self.zeroedEnd = existing
        self.limit = limit
        self.freeSpaceReserve = freeSpaceReserve
        self.counters = counters
    }

    /// Before writing `segment`'s bytes up to `end`: waits for a running job if the write could
    /// reach the bytes it is zeroing.
    func prepareWrite(upTo end: UInt64) {
        guard let running = job else { return }
        if jobResult.load(ordering: .acquiring) == 0 {
            guard end > zeroedEnd else { return }
            self.running.wait()
        }
        absorb(running)
    }

    /// After writing and syncing `segment` up to `end`: starts a job when the zeroed space ahead
    /// runs short.
    func didWrite(upTo end: UInt64) {
        if let running = job {
            guard jobResult.load(ordering: .acquiring) != 0 else { return }
            absorb(running)
        }
        guard !failed, end < limit, zeroedEnd < end + Self.step / 2 else { return }
        let start = max(zeroedEnd, end)
        let stop = min(start + Self.step, limit)
        guard stop > start else { return }
        job = stop
        jobResult.store(0, ordering: .relaxed)
        let file = segment.file
        queue.async(group: running) { [self] in
            var offset = start
            do throws(EventStoreError) {
                // Zeros must never be what fills the disk: below the reserve, appends extend the
                // file as they would without preallocation, and use the last space for records.
                let available = try file.availableBytes()
                guard available >= freeSpaceReserve, available - freeSpaceReserve >= stop - start else {
                    jobResult.store(3, ordering: .releasing)
                    return
                }
                while offset < stop {
                    let count = Int(min(UInt64(Self.zeros.count), stop - offset))
                    try file.write(count == Self.zeros.count ? Self.zeros : [UInt8](repeating: 0, count: count), at: offset)
                    offset += UInt64(count)
                }
                try file.syncData()
                counters.preallocatedBytes.add(stop - start, ordering: .relaxed)
                jobResult.store(1, ordering: .releasing)
            } catch {
                counters.preallocationFailures.add(1, ordering: .relaxed)
                jobResult.store(2, ordering: .releasing)
            }
        }
    }

    /// Waits for a running job (before the segment is cut back or closed).
    func finish() {
        guard let running = job else { return }
        self.running.wait()
        absorb(running)
    }

    /// Moves to `next`, a new and empty segment (after ``finish()``).
    func start(_ next: Segment) {
        segment = next
        zeroedEnd = 0
        failed = false
    }

    private func absorb(_ end: UInt64) {
        if jobResult.load(ordering: .acquiring) == 1 { zeroedEnd = max(zeroedEnd, end) } else { failed = true }
        job = nil
    }
}
