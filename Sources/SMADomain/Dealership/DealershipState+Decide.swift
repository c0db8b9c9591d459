extension DealershipState {
    /// Decides `command` against the dealership's current state (`nil` for a new stream).
    /// - Returns: The events to append to `dealership-<id>`; empty when the command changes nothing.
    public static func decide(_ command: DealershipCommand, _ state: DealershipState?, _ context: DecisionContext) throws(DomainError) -> [DealershipEvent] {
        let caller = context.caller
        try Validate.identifier(command.dealershipId, field: "dealership_id")
        try caller.requireAccess(to: command.dealershipId)
        if case .register(let id, let name, let currency) = command {
            try caller.requireAnyRole([.admin], for: "registering a dealership")
            try Validate.text(name, field: "name", maxLength: 200)
            guard state == nil else { throw .alreadyExists(entity: "dealership", id: id) }
            return [.registered(.init(dealershipId: id, name: name, currency: currency, registeredAt: context.now))]
        }
        guard let state else { throw .notFound(entity: "dealership", id: command.dealershipId) }
        switch command {
        case .register:
            return []
        case .addTechnician(let id, let technicianId, let name):
            try caller.requirePrivileged(for: "adding a technician")
            try Validate.identifier(technicianId, field: "technician_id")
            try Validate.text(name, field: "name", maxLength: 200)
            guard !state.hasTechnician(technicianId) else { throw .alreadyExists(entity: "technician", id: technicianId) }
            return [.technicianAdded(.init(dealershipId: id, technicianId: technicianId, name: name))]
        case .removeTechnician(let id, let technicianId):
            try caller.requirePrivileged(for: "removing a technician")
            guard state.hasTechnician(technicianId) else { throw .notFound(entity: "technician", id: technicianId) }
            return [.technicianRemoved(.init(dealershipId: id, technicianId: technicianId))]
        case .defineOpCode(let id, let opCode, let description, let hours):
            try caller.requirePrivileged(for: "defining an op code")
            try Validate.identifier(opCode, field: "op_code")
            try Validate.text(description, field: "description", maxLength: 200)
            let definition = OpCodeDefinition(code: opCode, description: description, standardHours: hours)
            guard state.opCodes[opCode] != definition else { return [] }
            return [.opCodeDefined(.init(dealershipId: id, opCode: opCode, description: description, standardHours: hours))]
        case .setLaborRate(let id, let rate):
            try caller.requirePrivileged(for: "setting the labor rate")
            guard rate.currency == state.currency else {
                throw .invalidArgument(field: "rate_per_hour.currency", reason: "is \(rate.currency.code) but dealership '\(id)' bills in \(state.currency.code)")
            }
            guard rate.minorUnits > 0 else {
                throw .invalidArgument(field: "rate_per_hour", reason: "must be greater than 0 minor units, got \(rate.minorUnits)")
            }
            guard state.laborRate != rate else { return [] }
            return [.laborRateSet(.init(dealershipId: id, ratePerHour: rate))]
        case .allocateRepairOrderNumber(let id, let requestId):
            try caller.requireAnyRole([.advisor, .manager, .admin, .system], for: "opening a repair order")
            try Validate.text(requestId, field: "request_id", maxLength: 200)
            if state.allocatedNumbers[requestId] != nil { return [] }
            let (next, overflow) = state.lastRepairOrderNumber.addingReportingOverflow(1)
            guard !overflow else { throw .failedPrecondition(reason: "dealership '\(id)' has exhausted repair-order numbers") }
            return [.repairOrderNumberAllocated(.init(dealershipId: id, number: next, requestId: requestId))]
        }
    }
}
