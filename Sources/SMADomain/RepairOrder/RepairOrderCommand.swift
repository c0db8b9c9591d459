/// A command addressed to one repair order, `ro-<dealershipId>-<number>`.
public struct RepairOrderCommand: Hashable, Sendable {
    /// The dealership that owns the order.
    public var dealershipId: String
    /// The order number, allocated by the dealership (``DealershipCommand/allocateRepairOrderNumber(dealershipId:requestId:)``).
    public var number: Int64
    /// What to do.
    public var action: RepairOrderAction

    /// Creates a command.
    public init(dealershipId: String, number: Int64, action: RepairOrderAction) {
        self.dealershipId = dealershipId
        self.number = number
        self.action = action
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.repairOrder(dealershipId: dealershipId, number: number) }
}
