extension FileEventStore {
    /// Counters of the writer since the store was opened: how well group commit batches appends.
    public struct Statistics: Hashable, Sendable {
        /// Appends acknowledged as written (idempotent retries and rejections excluded).
        public var appends: UInt64
        /// Events written.
        public var events: UInt64
        /// Batches written, each with one write and one `fdatasync`.
        public var syncs: UInt64
        /// Time the writer spent waiting in those `fdatasync` calls: divided by `syncs`, the disk's
        /// sync latency as the store sees it (the floor of every append's latency).
        public var syncDuration: Duration
        /// Index checkpoints that could not be written (each only makes the next open scan
        /// more of the log; a growing count means the data directory has a problem).
        public var checkpointFailures: UInt64
        /// Bytes of zeros written ahead of the log, so that batches overwrite space that is
        /// already on disk (a cheaper sync) instead of extending the file.
        public var preallocatedBytes: UInt64
        /// Preallocations that failed (harmless: writes then extend the file; e.g. a full disk).
        public var preallocationFailures: UInt64

        public init(appends: UInt64, events: UInt64, syncs: UInt64, syncDuration: Duration = .zero, checkpointFailures: UInt64 = 0,
                    preallocatedBytes: UInt64 = 0, preallocationFailures: UInt64 = 0) {
            self.appends = appends
            self.events = events
            self.syncs = syncs
            self.syncDuration = syncDuration
            self.checkpointFailures = checkpointFailures
            self.preallocatedBytes = preallocatedBytes
            self.preallocationFailures = preallocationFailures
        }
    }

    /// The writer's counters so far.
    public var statistics: Statistics {
        Statistics(appends: core.counters.appends.load(ordering: .relaxed), events: core.counters.events.load(ordering: .relaxed),
                   syncs: core.counters.syncs.load(ordering: .relaxed),
                   syncDuration: .nanoseconds(Int64(core.counters.syncNanoseconds.load(ordering: .relaxed))),
                   checkpointFailures: core.counters.checkpointFailures.load(ordering: .relaxed),
                   preallocatedBytes: core.counters.preallocatedBytes.load(ordering: .relaxed),
                   preallocationFailures: core.counters.preallocationFailures.load(ordering: .relaxed))
    }
}
