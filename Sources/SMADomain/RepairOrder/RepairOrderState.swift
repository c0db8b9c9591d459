/// The current state of one repair order, folded from `ro-<dealershipId>-<number>`.
public struct RepairOrderState: AggregateState {
    public typealias Event = RepairOrderEvent

    /// The owning dealership.
    public var dealershipId: String
    /// The order number within the dealership.
    public var number: Int64
    /// The vehicle.
    public var vin: String
    /// The customer.
    public var customerId: String
    /// The service advisor.
    public var advisorId: String
    /// Odometer when the vehicle came in.
    public var odometerIn: Distance
    /// Odometer when the order was completed.
    public var odometerOut: Distance?
    /// The customer's concerns.
    public var concerns: [String]
    /// The currency of every line.
    public var currency: Currency
    /// Lifecycle status.
    public var status: RepairOrderStatus = .open
    /// Jobs in the order they were added.
    public var jobs: [RepairOrderJob] = []
    /// Lines in the order they were added.
    public var lines: [RepairOrderLine] = []

    /// Creates the state of a freshly opened order.
    public init(_ opened: RepairOrderEvent.Opened) {
        dealershipId = opened.dealershipId
        number = opened.number
        vin = opened.vin
        customerId = opened.customerId
        advisorId = opened.advisorId
        odometerIn = opened.odometerIn
        concerns = opened.concerns
        currency = opened.currency
    }

    /// The job with `jobId`, if any.
    public func job(_ jobId: String) -> RepairOrderJob? { jobs.first { $0.jobId == jobId } }

    /// The line with `lineId`, if any.
    public func line(_ lineId: String) -> RepairOrderLine? { lines.first { $0.lineId == lineId } }
}
