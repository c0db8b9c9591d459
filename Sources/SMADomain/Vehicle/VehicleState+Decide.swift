extension VehicleState {
    /// Decides `command` against the vehicle's current state (`nil` for a new stream).
    ///
    /// A VIN is registered once: `register` on an existing stream throws
    /// ``DomainError/alreadyExists(entity:id:)``. The wire layer appends a registration with
    /// expected version *no stream*; if that append loses a race, it reloads and decides again,
    /// which then yields `alreadyExists`.
    /// - Returns: The events to append to `vehicle-<VIN>`; empty when the command changes nothing.
    public static func decide(_ command: VehicleCommand, _ state: VehicleState?, _ context: DecisionContext) throws(DomainError) -> [VehicleEvent] {
        let vin = command.vin.value
        if case .register(_, let dealershipId, let make, let model, let year, let owner, let odometer) = command {
            try Validate.identifier(dealershipId, field: "dealership_id")
            try context.caller.requireAccess(to: dealershipId)
            try Validate.text(make, field: "make", maxLength: 100)
            try Validate.text(model, field: "model", maxLength: 100)
            try Validate.identifier(owner, field: "owner_customer_id")
            let latestYear = context.now.civilYear + 2
            guard year >= 1886, year <= latestYear else {
                throw .invalidArgument(field: "year", reason: "\(year) is out of range; expected 1886…\(latestYear)")
            }
            if let state {
                try context.caller.requireAccess(to: state.dealershipId)
                throw .alreadyExists(entity: "vehicle", id: vin)
            }
            return [.registered(.init(vin: vin, dealershipId: dealershipId, make: make, model: model, year: year, ownerCustomerId: owner, odometer: odometer, registeredAt: context.now))]
        }
        guard let state else { throw .notFound(entity: "vehicle", id: vin) }
        try context.caller.requireAccess(to: state.dealershipId)
        guard !state.isRetired else {
            throw .failedPrecondition(reason: "vehicle \(vin) is retired and accepts no further changes")
        }
        switch command {
        case .register:
            return []
        case .recordOdometer(_, let reading):
            if let last = state.lastReading?.distance {
                if reading == last { return [] }
                guard reading > last else {
                    throw .failedPrecondition(reason: "odometer reading \(reading) for vehicle \(vin) is below its last reading \(last); readings never decrease — use CorrectOdometer with a reason to fix a wrong reading")
                }
            }
            return [.odometerRecorded(.init(vin: vin, reading: reading, recordedAt: context.now, recordedBy: context.caller.subject))]
        case .correctOdometer(_, let reading, let reason):
            try Validate.text(reason, field: "reason")
            try Validate.text(context.caller.subject, field: "actor", maxLength: 200)
            let previous = state.lastReading?.distance
            if previous == reading, previous?.unit == reading.unit { return [] }
            return [.odometerCorrected(.init(vin: vin, previous: previous, corrected: reading, reason: reason, actor: context.caller.subject, correctedAt: context.now))]
        case .transferOwnership(_, let newOwner):
            try Validate.identifier(newOwner, field: "new_owner_customer_id")
            guard newOwner != state.ownerCustomerId else { return [] }
            return [.ownershipTransferred(.init(vin: vin, fromCustomerId: state.ownerCustomerId, toCustomerId: newOwner, transferredAt: context.now))]
        case .retire(_, let reason):
            try Validate.text(reason, field: "reason")
            return [.retired(.init(vin: vin, reason: reason, retiredAt: context.now))]
        }
    }
}
