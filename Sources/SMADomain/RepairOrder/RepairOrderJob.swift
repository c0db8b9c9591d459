/// One job (an op code to perform) on a repair order.
public struct RepairOrderJob: Hashable, Sendable {
    /// The job id, unique within the order.
    public var jobId: String
    /// The dealership op code.
    public var opCode: String
    /// What to do.
    public var description: String
    /// Where the job is.
    public var status: RepairOrderJobStatus = .proposed
    /// The assigned technician.
    public var technicianId: String?
    /// What the technician found.
    public var findings: [String] = []

    /// Creates a proposed job.
    public init(jobId: String, opCode: String, description: String) {
        self.jobId = jobId
        self.opCode = opCode
        self.description = description
    }
}
