extension DealershipEvent {
    /// Payload of `DealershipRegistered`.
    public struct Registered: Hashable, Sendable {
        public var dealershipId: String
        public var name: String
        public var currency: Currency
        public var registeredAt: Timestamp
        /// Creates the payload.
        public init(dealershipId: String, name: String, currency: Currency, registeredAt: Timestamp) {
            self.dealershipId = dealershipId
            self.name = name
            self.currency = currency
            self.registeredAt = registeredAt
        }
    }

    /// Payload of `TechnicianAdded`.
    public struct TechnicianAdded: Hashable, Sendable {
        public var dealershipId: String
        public var technicianId: String
        public var name: String
        /// Creates the payload.
        public init(dealershipId: String, technicianId: String, name: String) {
            self.dealershipId = dealershipId
            self.technicianId = technicianId
            self.name = name
        }
    }

    /// Payload of `TechnicianRemoved`.
    public struct TechnicianRemoved: Hashable, Sendable {
        public var dealershipId: String
        public var technicianId: String
        /// Creates the payload.
        public init(dealershipId: String, technicianId: String) {
            self.dealershipId = dealershipId
            self.technicianId = technicianId
        }
    }

    /// Payload of `OpCodeDefined`.
    public struct OpCodeDefined: Hashable, Sendable {
        public var dealershipId: String
        public var opCode: String
        public var description: String
        public var standardHours: Quantity
        /// Creates the payload.
        public init(dealershipId: String, opCode: String, description: String, standardHours: Quantity) {
            self.dealershipId = dealershipId
            self.opCode = opCode
            self.description = description
            self.standardHours = standardHours
        }
    }

    /// Payload of `LaborRateSet`.
    public struct LaborRateSet: Hashable, Sendable {
        public var dealershipId: String
        public var ratePerHour: Money
        /// Creates the payload.
        public init(dealershipId: String, ratePerHour: Money) {
            self.dealershipId = dealershipId
            self.ratePerHour = ratePerHour
        }
    }

    /// Payload of `RepairOrderNumberAllocated`: `number` is the previous number + 1, never reused.
    public struct RepairOrderNumberAllocated: Hashable, Sendable {
        public var dealershipId: String
        public var number: Int64
        /// The request (e.g. the OpenRepairOrder command id) the number was allocated for.
        public var requestId: String
        /// Creates the payload.
        public init(dealershipId: String, number: Int64, requestId: String) {
            self.dealershipId = dealershipId
            self.number = number
            self.requestId = requestId
        }
    }
}
