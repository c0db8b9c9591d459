/// A command addressed to a vehicle's maintenance plan, `plan-<VIN>`.
public enum MaintenancePlanCommand: Hashable, Sendable {
    /// Defines a new item; the first item creates the plan for `dealershipId`. The schedule
    /// starts at `baselineOdometer` and the decision time.
    case defineItem(vin: VIN, dealershipId: String, itemId: String, name: String, opCode: String, interval: ServiceInterval, schedule: ScheduleKind, dueSoon: DueSoonThreshold, baselineOdometer: Distance)
    /// Records that the item was serviced at `odometer` and `servicedAt` (nil: the decision time);
    /// `sourceId` names what did it (e.g. the RO stream).
    case markServiced(vin: VIN, itemId: String, odometer: Distance, servicedAt: Timestamp?, sourceId: String)
    /// Postpones the item's due point to an odometer, a time, or both.
    case deferItem(vin: VIN, itemId: String, untilOdometer: Distance?, untilTime: Timestamp?, reason: String)
    /// Removes the item from the plan.
    case removeItem(vin: VIN, itemId: String, reason: String)

    /// The vehicle whose plan the command addresses.
    public var vin: VIN {
        switch self {
        case .defineItem(let vin, _, _, _, _, _, _, _, _), .markServiced(let vin, _, _, _, _),
             .deferItem(let vin, _, _, _, _), .removeItem(let vin, _, _):
            return vin
        }
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.maintenancePlan(vin) }
}
