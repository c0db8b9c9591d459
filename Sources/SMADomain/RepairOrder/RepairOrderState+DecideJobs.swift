extension RepairOrderState {
    /// Decides the job and line actions of an order that accepts changes.
    func decideJobChange(_ action: RepairOrderAction, _ context: DecisionContext, _ references: RepairOrderReferences) throws(DomainError) -> [RepairOrderEvent] {
        let actor = context.caller.subject
        switch action {
        case .addJob(let jobId, let opCode, let description):
            try Validate.identifier(jobId, field: "job_id")
            try Validate.optionalText(description, field: "description")
            guard job(jobId) == nil else { throw .alreadyExists(entity: "job", id: jobId) }
            let dealership = try requireDealership(references)
            guard let definition = dealership.opCodes[opCode] else { throw .notFound(entity: "op code", id: opCode) }
            return [.jobAdded(.init(jobId: jobId, opCode: opCode, description: description.isEmpty ? definition.description : description))]
        case .addLaborLine(let lineId, let jobId, let description, let hours):
            let job = try requireNewLine(lineId, jobId: jobId)
            let dealership = try requireDealership(references)
            guard let rate = dealership.laborRate, rate.currency == currency else {
                throw .failedPrecondition(reason: "dealership '\(dealershipId)' has no labor rate in \(currency.code); set the labor rate first")
            }
            guard let quantity = hours ?? dealership.opCodes[job.opCode]?.standardHours else { throw .notFound(entity: "op code", id: job.opCode) }
            let amount = try rate.multiplied(by: quantity, field: "hours")
            try requireTotalFits(adding: amount, field: "hours")
            return [.laborLineAdded(RepairOrderLine(lineId: lineId, jobId: jobId, kind: .labor, partNumber: "", description: description, quantity: quantity, unitPrice: rate, amount: amount))]
        case .addPartsLine(let lineId, let jobId, let partNumber, let description, let quantity, let unitPrice):
            _ = try requireNewLine(lineId, jobId: jobId)
            try Validate.text(partNumber, field: "part_number", maxLength: 64)
            guard unitPrice.currency == currency else {
                throw .invalidArgument(field: "unit_price.currency", reason: "is \(unitPrice.currency.code) but repair order \(displayId) is in \(currency.code)")
            }
            guard unitPrice.minorUnits >= 0 else {
                throw .invalidArgument(field: "unit_price", reason: "must not be negative, got \(unitPrice.minorUnits) minor units")
            }
            let amount = try unitPrice.multiplied(by: quantity, field: "unit_price")
            try requireTotalFits(adding: amount, field: "unit_price")
            return [.partsLineAdded(RepairOrderLine(lineId: lineId, jobId: jobId, kind: .parts, partNumber: partNumber, description: description, quantity: quantity, unitPrice: unitPrice, amount: amount))]
        case .removeLine(let lineId):
            guard let line = line(lineId) else { throw .notFound(entity: "line", id: lineId) }
            try requireJobEditable(try requireJob(line.jobId))
            return [.lineRemoved(.init(lineId: lineId, jobId: line.jobId))]
        case .assignTechnician(let jobId, let technicianId):
            let job = try requireJob(jobId)
            try requireJobEditable(job)
            let dealership = try requireDealership(references)
            guard dealership.hasTechnician(technicianId) else {
                throw .failedPrecondition(reason: "technician '\(technicianId)' does not belong to dealership '\(dealershipId)'; assign a technician on its roster")
            }
            guard job.technicianId != technicianId else { return [] }
            return [.technicianAssigned(.init(jobId: jobId, technicianId: technicianId))]
        case .approveJob(let jobId):
            let job = try requireJob(jobId)
            switch job.status {
            case .approved: return []
            case .proposed, .declined: return [.jobApproved(.init(jobId: jobId, actor: actor, at: context.now))]
            case .inProgress, .completed: throw .failedPrecondition(reason: "job \(jobId) is \(job.status.rawValue); only a proposed or declined job can be approved")
            }
        case .declineJob(let jobId, let reason):
            let job = try requireJob(jobId)
            try Validate.text(reason, field: "reason")
            switch job.status {
            case .declined: return []
            case .proposed, .approved: return [.jobDeclined(.init(jobId: jobId, actor: actor, reason: reason, at: context.now))]
            case .inProgress, .completed: throw .failedPrecondition(reason: "job \(jobId) is \(job.status.rawValue); work has started, so it can no longer be declined")
            }
        case .startWork(let jobId):
            let job = try requireJob(jobId)
            guard job.status == .approved else {
                throw .failedPrecondition(reason: "job \(jobId) is \(job.status.rawValue); work starts only on an approved job")
            }
            guard job.technicianId != nil else {
                throw .failedPrecondition(reason: "job \(jobId) has no technician; assign one before starting work")
            }
            return [.workStarted(.init(jobId: jobId, actor: actor, at: context.now))]
        case .recordFinding(let jobId, let finding):
            let job = try requireJob(jobId)
            try Validate.text(finding, field: "finding", maxLength: 2_000)
            guard job.status == .inProgress else {
                throw .failedPrecondition(reason: "job \(jobId) is \(job.status.rawValue); findings are recorded while work is in progress")
            }
            return [.findingRecorded(.init(jobId: jobId, finding: finding, recordedBy: actor, at: context.now))]
        case .completeJob(let jobId):
            let job = try requireJob(jobId)
            guard job.status == .inProgress else {
                throw .failedPrecondition(reason: "job \(jobId) is \(job.status.rawValue); only a job in progress can be completed")
            }
            return [.jobCompleted(.init(jobId: jobId, actor: actor, at: context.now))]
        case .open, .complete, .close, .cancel, .reopen:
            return []
        }
    }

    /// Validates a new line id and returns its (editable) job.
    private func requireNewLine(_ lineId: String, jobId: String) throws(DomainError) -> RepairOrderJob {
        try Validate.identifier(lineId, field: "line_id")
        guard line(lineId) == nil else { throw .alreadyExists(entity: "line", id: lineId) }
        let job = try requireJob(jobId)
        try requireJobEditable(job)
        return job
    }
}
