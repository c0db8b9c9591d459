extension RepairOrderState {
    /// The state after `event`.
    public static func evolve(_ state: RepairOrderState?, _ event: RepairOrderEvent) -> RepairOrderState? {
        if case .opened(let e) = event { return RepairOrderState(e) }
        guard var state else { return nil }
        switch event {
        case .opened:
            break
        case .jobAdded(let e):
            state.jobs.append(RepairOrderJob(jobId: e.jobId, opCode: e.opCode, description: e.description))
        case .laborLineAdded(let line), .partsLineAdded(let line):
            state.lines.append(line)
        case .lineRemoved(let e):
            state.lines.removeAll { $0.lineId == e.lineId }
        case .technicianAssigned(let e):
            state.updateJob(e.jobId) { $0.technicianId = e.technicianId }
        case .jobApproved(let e):
            state.updateJob(e.jobId) { $0.status = .approved }
        case .jobDeclined(let e):
            state.updateJob(e.jobId) { $0.status = .declined }
        case .workStarted(let e):
            state.updateJob(e.jobId) { $0.status = .inProgress }
            if state.status == .open { state.status = .inProgress }
        case .findingRecorded(let e):
            state.updateJob(e.jobId) { $0.findings.append(e.finding) }
        case .jobCompleted(let e):
            state.updateJob(e.jobId) { $0.status = .completed }
        case .completed(let e):
            state.status = .completed
            state.odometerOut = e.odometerOut
        case .closed:
            state.status = .closed
        case .cancelled:
            state.status = .cancelled
        case .reopened:
            state.status = .inProgress
        }
        return state
    }

    private mutating func updateJob(_ jobId: String, _ change: (inout RepairOrderJob) -> Void) {
        guard let index = jobs.firstIndex(where: { $0.jobId == jobId }) else { return }
        change(&jobs[index])
    }

    /// The sum of every line.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` if it overflows.
    public func total() throws(DomainError) -> Money {
        try Money.total(lines.map(\.amount), currency: currency, field: "total")
    }
}
