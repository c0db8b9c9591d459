extension RepairOrderEvent {
    /// Payload of `RepairOrderOpened`.
    public struct Opened: Hashable, Sendable {
        public var dealershipId: String
        public var number: Int64
        public var vin: String
        public var customerId: String
        public var advisorId: String
        public var odometerIn: Distance
        public var concerns: [String]
        /// The dealership's currency; every line of the order uses it.
        public var currency: Currency
        public var openedAt: Timestamp
        /// Creates the payload.
        public init(dealershipId: String, number: Int64, vin: String, customerId: String, advisorId: String, odometerIn: Distance, concerns: [String], currency: Currency, openedAt: Timestamp) {
            self.dealershipId = dealershipId
            self.number = number
            self.vin = vin
            self.customerId = customerId
            self.advisorId = advisorId
            self.odometerIn = odometerIn
            self.concerns = concerns
            self.currency = currency
            self.openedAt = openedAt
        }
    }

    /// Payload of `RepairOrderCompleted`: everything the completion policy needs.
    public struct Completed: Hashable, Sendable {
        public var dealershipId: String
        public var number: Int64
        public var vin: String
        public var odometerOut: Distance
        /// Op codes of the jobs completed on this order, in job order, without duplicates.
        public var completedOpCodes: [String]
        /// Sum of all lines.
        public var total: Money
        public var completedBy: String
        public var completedAt: Timestamp
        /// Creates the payload.
        public init(dealershipId: String, number: Int64, vin: String, odometerOut: Distance, completedOpCodes: [String], total: Money, completedBy: String, completedAt: Timestamp) {
            self.dealershipId = dealershipId
            self.number = number
            self.vin = vin
            self.odometerOut = odometerOut
            self.completedOpCodes = completedOpCodes
            self.total = total
            self.completedBy = completedBy
            self.completedAt = completedAt
        }
    }

    /// Payload of `RepairOrderClosed`, `RepairOrderCancelled` and `RepairOrderReopened`.
    public struct OrderTransition: Hashable, Sendable {
        /// The caller's subject.
        public var actor: String
        /// Why (empty for close).
        public var reason: String
        public var at: Timestamp
        /// Creates the payload.
        public init(actor: String, reason: String, at: Timestamp) {
            self.actor = actor
            self.reason = reason
            self.at = at
        }
    }
}
