import Synchronization

/// Lock-free counters the writer bumps and ``FileEventStore/statistics`` reads.
final class WriterCounters: Sendable {
    let appends = Atomic<UInt64>(0)
    let events = Atomic<UInt64>(0)
    let syncs = Atomic<UInt64>(0)
    /// Time spent in the log's `fdatasync` calls, in nanoseconds.
    let syncNanoseconds = Atomic<UInt64>(0)
    let checkpointFailures = Atomic<UInt64>(0)
    let preallocatedBytes = Atomic<UInt64>(0)
    let preallocationFailures = Atomic<UInt64>(0)
}
