extension MaintenancePlanState {
    /// Decides `command` against the plan's current state (`nil` before its first item).
    /// - Returns: The events to append to `plan-<VIN>`; empty when the command changes nothing
    ///   (e.g. the same service replayed by the completion policy).
    public static func decide(_ command: MaintenancePlanCommand, _ state: MaintenancePlanState?, _ context: DecisionContext) throws(DomainError) -> [MaintenancePlanEvent] {
        let vin = command.vin.value
        if case .defineItem(_, let dealershipId, let itemId, let name, let opCode, let interval, let schedule, let dueSoon, let baseline) = command {
            try Validate.identifier(dealershipId, field: "dealership_id")
            try context.caller.requireAccess(to: dealershipId)
            if let state {
                try context.caller.requireAccess(to: state.dealershipId)
                guard state.dealershipId == dealershipId else {
                    throw .permissionDenied(reason: "the maintenance plan of \(vin) belongs to another dealership")
                }
                guard state.items[itemId] == nil else { throw .alreadyExists(entity: "plan item", id: itemId) }
            }
            try Validate.identifier(itemId, field: "item_id")
            try Validate.text(name, field: "name", maxLength: 200)
            try Validate.identifier(opCode, field: "op_code")
            let item = PlanItem(itemId: itemId, name: name, opCode: opCode, interval: interval, schedule: schedule, dueSoon: dueSoon, baseline: OdometerReading(distance: baseline, recordedAt: context.now))
            return [.itemDefined(.init(vin: vin, dealershipId: dealershipId, item: item))]
        }
        guard let state else { throw .notFound(entity: "maintenance plan", id: vin) }
        try context.caller.requireAccess(to: state.dealershipId)
        switch command {
        case .defineItem:
            return []
        case .markServiced(_, let itemId, let odometer, let servicedAt, let sourceId):
            let item = try state.requireItem(itemId)
            try Validate.text(sourceId, field: "source_id", maxLength: 200)
            if let servicedAt, servicedAt > context.now {
                throw .invalidArgument(field: "serviced_at", reason: "must not be in the future")
            }
            if let last = item.lastService {
                if last.sourceId == sourceId, last.odometer == odometer { return [] }
                guard odometer >= last.odometer else {
                    throw .failedPrecondition(reason: "service odometer \(odometer) is below the last service of item \(itemId) at \(last.odometer)")
                }
            }
            return [.itemServiced(.init(itemId: itemId, service: ServiceRecord(odometer: odometer, at: servicedAt ?? context.now, sourceId: sourceId)))]
        case .deferItem(_, let itemId, let untilOdometer, let untilTime, let reason):
            _ = try state.requireItem(itemId)
            try Validate.text(reason, field: "reason")
            guard untilOdometer != nil || untilTime != nil else {
                throw .invalidArgument(field: "until", reason: "needs an odometer, a time, or both")
            }
            if let untilTime, untilTime <= context.now {
                throw .invalidArgument(field: "until_time", reason: "must be in the future")
            }
            let deferral = Deferral(untilOdometer: untilOdometer, untilTime: untilTime, reason: reason)
            return [.itemDeferred(.init(itemId: itemId, deferral: deferral, deferredBy: context.caller.subject))]
        case .removeItem(_, let itemId, let reason):
            _ = try state.requireItem(itemId)
            try Validate.text(reason, field: "reason")
            return [.itemRemoved(.init(itemId: itemId, reason: reason, removedBy: context.caller.subject))]
        }
    }

    private func requireItem(_ itemId: String) throws(DomainError) -> PlanItem {
        guard let item = items[itemId] else { throw .notFound(entity: "plan item", id: itemId) }
        return item
    }
}
