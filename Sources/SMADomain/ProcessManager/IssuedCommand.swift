/// A command a process manager issues, with a deterministic id for the store's idempotency.
public struct IssuedCommand: Hashable, Sendable {
    /// What to run.
    public enum Target: Hashable, Sendable {
        /// A vehicle command.
        case vehicle(VehicleCommand)
        /// A maintenance-plan command.
        case maintenancePlan(MaintenancePlanCommand)
    }

    /// Derived from the triggering event id, so a replay issues the same id.
    public var commandId: String
    /// The stream the command is appended to.
    public var streamName: String
    /// The command.
    public var target: Target
    /// The caller to decide it as.
    public var caller: Caller

    /// Creates an issued command.
    public init(commandId: String, streamName: String, target: Target, caller: Caller) {
        self.commandId = commandId
        self.streamName = streamName
        self.target = target
        self.caller = caller
    }
}
