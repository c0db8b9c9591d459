/// A billable labour or parts line of a job.
public struct RepairOrderLine: Hashable, Sendable {
    /// The line id, unique within the order.
    public var lineId: String
    /// The job it belongs to.
    public var jobId: String
    /// Labour or parts.
    public var kind: RepairOrderLineKind
    /// The part number (parts lines; empty for labour).
    public var partNumber: String
    /// What is billed.
    public var description: String
    /// Hours (labour) or units (parts).
    public var quantity: Quantity
    /// Rate per hour or price per unit.
    public var unitPrice: Money
    /// `quantity × unitPrice`, rounded to minor units.
    public var amount: Money

    /// Creates a line.
    public init(lineId: String, jobId: String, kind: RepairOrderLineKind, partNumber: String, description: String, quantity: Quantity, unitPrice: Money, amount: Money) {
        self.lineId = lineId
        self.jobId = jobId
        self.kind = kind
        self.partNumber = partNumber
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
    }
}
