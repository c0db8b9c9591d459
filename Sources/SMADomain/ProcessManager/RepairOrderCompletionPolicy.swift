/// The pure part of the process manager that follows `RepairOrderCompleted`: it records the
/// vehicle's odometer and marks matching maintenance-plan items serviced.
///
/// The wire layer runs it from a subscription to `$all` with its own checkpoint: for each
/// `RepairOrderCompleted` it loads the vehicle's plan, calls ``commands(for:eventId:plan:)``,
/// appends each command with its ``IssuedCommand/commandId`` as the store's command id, and
/// then advances the checkpoint. A crash before the checkpoint replays the event; the ids are
/// the same, and the decisions are no-ops (same reading, same service source), so nothing
/// is applied twice. If a decision refuses (e.g. a later odometer reading already exists),
/// the process manager logs it and moves on: the refusal is permanent, retrying cannot help.
public enum RepairOrderCompletionPolicy {
    /// The name used in the process caller's subject.
    public static let name = "repair-order-completion"

    /// The commands to issue for one `RepairOrderCompleted` event.
    /// - Parameters:
    ///   - completed: The event's payload.
    ///   - eventId: The triggering event's stable id in the log (used to derive command ids).
    ///   - plan: The vehicle's maintenance plan, if it has one.
    public static func commands(for completed: RepairOrderEvent.Completed, eventId: String, plan: MaintenancePlanState?) -> [IssuedCommand] {
        guard let vin = try? VIN(completed.vin) else { return [] }
        let caller = Caller.process(name, dealershipId: completed.dealershipId)
        var commands = [IssuedCommand(
            commandId: "\(eventId)/odometer",
            streamName: StreamName.vehicle(vin),
            target: .vehicle(.recordOdometer(vin: vin, reading: completed.odometerOut)),
            caller: caller)]
        guard let plan, plan.dealershipId == completed.dealershipId else { return commands }
        let source = StreamName.repairOrder(dealershipId: completed.dealershipId, number: completed.number)
        var seen = Set<String>()
        for opCode in completed.completedOpCodes {
            for item in plan.items(forOpCode: opCode) where seen.insert(item.itemId).inserted {
                commands.append(IssuedCommand(
                    commandId: "\(eventId)/plan/\(item.itemId)",
                    streamName: StreamName.maintenancePlan(vin),
                    target: .maintenancePlan(.markServiced(vin: vin, itemId: item.itemId, odometer: completed.odometerOut, servicedAt: completed.completedAt, sourceId: source)),
                    caller: caller))
            }
        }
        return commands
    }
}
