extension FileEventStore {
    /// Tuning of a file-backed store.
    public struct Options: Sendable {
        /// A segment file is closed and a new one started once it reaches this many bytes.
        public var segmentSize: UInt64
        /// The index checkpoint is rewritten after this many bytes of new log.
        public var checkpointInterval: UInt64
        /// Whether `close()` writes a final checkpoint.
        public var checkpointOnClose: Bool
        /// How many recent events stay decoded in memory for live subscribers and fresh reads.
        public var liveTailCapacity: Int
        /// The log is written into zeros written ahead of it (a cheaper sync than extending the
        /// file); that stops while less than this many bytes would stay free on the filesystem,
        /// so zeros never take the last space that records need.
        public var preallocationFreeSpaceReserve: UInt64
        /// A filtered read of `$all` examines at most this many events per call, then returns what
        /// matched so far with the position to continue from (reads run on the caller's thread,
        /// an event loop in the server: a rare filter must not scan a whole large log in one go).
        public var maxEventsExaminedPerRead: Int

        public init(segmentSize: UInt64 = 64 << 20, checkpointInterval: UInt64 = 64 << 20, checkpointOnClose: Bool = true, liveTailCapacity: Int = 8192,
                    preallocationFreeSpaceReserve: UInt64 = 256 << 20, maxEventsExaminedPerRead: Int = 100_000) {
            self.segmentSize = segmentSize
            self.checkpointInterval = checkpointInterval
            self.checkpointOnClose = checkpointOnClose
            self.liveTailCapacity = liveTailCapacity
            self.preallocationFreeSpaceReserve = preallocationFreeSpaceReserve
            self.maxEventsExaminedPerRead = max(1, maxEventsExaminedPerRead)
        }
    }
}
