import SMADomain

/// A repair-order command together with the other aggregates' states its decision reads:
/// the ``RepairOrderAggregate``'s command, so ``CommandExecutor`` runs it like any other.
public struct RepairOrderRequest: Sendable {
    /// What to do, on which order.
    public var command: RepairOrderCommand
    /// The dealership and vehicle states the action needs (see ``RepairOrderReferences``),
    /// loaded by the caller before executing.
    public var references: RepairOrderReferences

    /// Creates a request.
    public init(_ command: RepairOrderCommand, references: RepairOrderReferences = .none) {
        self.command = command
        self.references = references
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { command.streamName }
}
