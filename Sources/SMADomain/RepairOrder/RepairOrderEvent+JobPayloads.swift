extension RepairOrderEvent {
    /// Payload of `JobAdded`.
    public struct JobAdded: Hashable, Sendable {
        public var jobId: String
        public var opCode: String
        public var description: String
        /// Creates the payload.
        public init(jobId: String, opCode: String, description: String) {
            self.jobId = jobId
            self.opCode = opCode
            self.description = description
        }
    }

    /// Payload of `LineRemoved`.
    public struct LineRemoved: Hashable, Sendable {
        public var lineId: String
        public var jobId: String
        /// Creates the payload.
        public init(lineId: String, jobId: String) {
            self.lineId = lineId
            self.jobId = jobId
        }
    }

    /// Payload of `TechnicianAssigned`.
    public struct TechnicianAssigned: Hashable, Sendable {
        public var jobId: String
        public var technicianId: String
        /// Creates the payload.
        public init(jobId: String, technicianId: String) {
            self.jobId = jobId
            self.technicianId = technicianId
        }
    }

    /// Payload of `FindingRecorded`.
    public struct FindingRecorded: Hashable, Sendable {
        public var jobId: String
        public var finding: String
        public var recordedBy: String
        public var at: Timestamp
        /// Creates the payload.
        public init(jobId: String, finding: String, recordedBy: String, at: Timestamp) {
            self.jobId = jobId
            self.finding = finding
            self.recordedBy = recordedBy
            self.at = at
        }
    }

    /// Payload of `JobApproved`, `JobDeclined`, `WorkStarted` and `JobCompleted`.
    public struct JobTransition: Hashable, Sendable {
        public var jobId: String
        /// The caller's subject.
        public var actor: String
        /// Why (declines); empty otherwise.
        public var reason: String
        public var at: Timestamp
        /// Creates the payload.
        public init(jobId: String, actor: String, reason: String = "", at: Timestamp) {
            self.jobId = jobId
            self.actor = actor
            self.reason = reason
            self.at = at
        }
    }
}
