extension RepairOrderState {
    /// Decides `command` against the order's current state (`nil` for a new stream).
    ///
    /// Opening needs a number the dealership allocated first (see ``DealershipCommand``); the
    /// wire layer then appends to `ro-<dealershipId>-<number>` with expected version *no stream*.
    /// - Parameters:
    ///   - references: Other aggregates the action reads (see ``RepairOrderAction``).
    /// - Returns: The events to append; empty when the command changes nothing.
    public static func decide(_ command: RepairOrderCommand, _ state: RepairOrderState?, _ context: DecisionContext, references: RepairOrderReferences = .none) throws(DomainError) -> [RepairOrderEvent] {
        let caller = context.caller
        try Validate.identifier(command.dealershipId, field: "dealership_id")
        try caller.requireAccess(to: command.dealershipId)
        guard command.number >= 1 else {
            throw .invalidArgument(field: "number", reason: "must be 1 or more, got \(command.number)")
        }
        if case .open(let vin, let customerId, let advisorId, let odometerIn, let concerns) = command.action {
            if state != nil { throw .alreadyExists(entity: "repair order", id: "\(command.dealershipId)-\(command.number)") }
            return try open(command, vin: vin, customerId: customerId, advisorId: advisorId, odometerIn: odometerIn, concerns: concerns, context, references)
        }
        guard let state else { throw .notFound(entity: "repair order", id: "\(command.dealershipId)-\(command.number)") }
        return try state.decideExisting(command.action, context, references)
    }

    private static func open(_ command: RepairOrderCommand, vin: VIN, customerId: String, advisorId: String, odometerIn: Distance, concerns: [String], _ context: DecisionContext, _ references: RepairOrderReferences) throws(DomainError) -> [RepairOrderEvent] {
        try context.caller.requireAnyRole(frontDeskRoles, for: "opening a repair order")
        try Validate.identifier(customerId, field: "customer_id")
        try Validate.identifier(advisorId, field: "advisor_id")
        guard concerns.count <= 50 else { throw .invalidArgument(field: "concerns", reason: "has \(concerns.count) entries; at most 50 are allowed") }
        for concern in concerns { try Validate.text(concern, field: "concerns", maxLength: 1_000) }
        guard let dealership = references.dealership, dealership.dealershipId == command.dealershipId else {
            throw .notFound(entity: "dealership", id: command.dealershipId)
        }
        guard dealership.hasAllocated(command.number) else {
            throw .failedPrecondition(reason: "repair-order number \(command.number) was not allocated by dealership '\(command.dealershipId)'; allocate a number first")
        }
        guard let vehicle = references.vehicle, vehicle.vin == vin.value else { throw .notFound(entity: "vehicle", id: vin.value) }
        guard vehicle.dealershipId == command.dealershipId else {
            throw .permissionDenied(reason: "vehicle \(vin.value) belongs to another dealership")
        }
        guard !vehicle.isRetired else { throw .failedPrecondition(reason: "vehicle \(vin.value) is retired; no repair order can be opened for it") }
        if let last = vehicle.lastReading?.distance, odometerIn < last {
            throw .failedPrecondition(reason: "odometer in \(odometerIn) is below vehicle \(vin.value)'s last reading \(last); odometer readings never decrease")
        }
        return [.opened(.init(
            dealershipId: command.dealershipId, number: command.number, vin: vin.value, customerId: customerId,
            advisorId: advisorId, odometerIn: odometerIn, concerns: concerns, currency: dealership.currency, openedAt: context.now))]
    }

    private func decideExisting(_ action: RepairOrderAction, _ context: DecisionContext, _ references: RepairOrderReferences) throws(DomainError) -> [RepairOrderEvent] {
        let caller = context.caller
        try caller.requireAccess(to: dealershipId)
        switch action {
        case .open:
            throw .alreadyExists(entity: "repair order", id: displayId)
        case .addJob, .addLaborLine, .addPartsLine, .removeLine, .assignTechnician:
            try caller.requireAnyRole(Self.staffRoles, for: "changing a repair order")
            try requireChangeable()
            return try decideJobChange(action, context, references)
        case .approveJob, .declineJob:
            try caller.requireAnyRole(Self.frontDeskRoles, for: "recording a customer decision")
            try requireChangeable()
            return try decideJobChange(action, context, references)
        case .startWork, .recordFinding, .completeJob:
            try caller.requireAnyRole(Self.workshopRoles, for: "working on a job")
            try requireChangeable()
            return try decideJobChange(action, context, references)
        case .complete(let odometerOut):
            try caller.requireAnyRole(Self.frontDeskRoles, for: "completing a repair order")
            return try decideCompletion(odometerOut: odometerOut, context, references)
        case .close:
            try caller.requireAnyRole(Self.frontDeskRoles, for: "closing a repair order")
            guard status == .completed else {
                throw .failedPrecondition(reason: "repair order \(displayId) is \(status.rawValue); only a completed order can be closed")
            }
            return [.closed(.init(actor: caller.subject, reason: "", at: context.now))]
        case .cancel(let reason):
            try caller.requireAnyRole(Self.frontDeskRoles, for: "cancelling a repair order")
            try Validate.text(reason, field: "reason")
            guard status == .open || status == .inProgress else {
                throw .failedPrecondition(reason: "repair order \(displayId) is \(status.rawValue); an order can be cancelled only before it is completed")
            }
            return [.cancelled(.init(actor: caller.subject, reason: reason, at: context.now))]
        case .reopen(let reason):
            try caller.requirePrivileged(for: "reopening a repair order")
            try Validate.text(reason, field: "reason")
            guard status == .completed else {
                throw .failedPrecondition(reason: "repair order \(displayId) is \(status.rawValue); only a completed order can be reopened")
            }
            return [.reopened(.init(actor: caller.subject, reason: reason, at: context.now))]
        }
    }

    private func decideCompletion(odometerOut: Distance, _ context: DecisionContext, _ references: RepairOrderReferences) throws(DomainError) -> [RepairOrderEvent] {
        guard status == .inProgress else {
            if status == .open {
                throw .failedPrecondition(reason: "repair order \(displayId) has no work started; start and complete a job first")
            }
            try requireChangeable()
            return []
        }
        if let pending = jobs.first(where: { $0.status != .completed && $0.status != .declined }) {
            throw .failedPrecondition(reason: "job \(pending.jobId) is \(pending.status.rawValue); complete or decline every job before completing the order")
        }
        guard odometerOut >= odometerIn else {
            throw .failedPrecondition(reason: "odometer out \(odometerOut) is below odometer in \(odometerIn); odometer out must be at least odometer in")
        }
        if let vehicle = references.vehicle, vehicle.vin == vin, let last = vehicle.lastReading?.distance, odometerOut < last {
            throw .failedPrecondition(reason: "odometer out \(odometerOut) is below vehicle \(vin)'s last reading \(last); odometer readings never decrease")
        }
        var opCodes: [String] = []
        for job in jobs where job.status == .completed && !opCodes.contains(job.opCode) {
            opCodes.append(job.opCode)
        }
        return [.completed(.init(
            dealershipId: dealershipId, number: number, vin: vin, odometerOut: odometerOut, completedOpCodes: opCodes,
            total: try total(), completedBy: context.caller.subject, completedAt: context.now))]
    }
}
