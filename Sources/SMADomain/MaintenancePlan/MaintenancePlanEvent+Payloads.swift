extension MaintenancePlanEvent {
    /// Payload of `PlanItemDefined`.
    public struct ItemDefined: Hashable, Sendable {
        public var vin: String
        public var dealershipId: String
        /// The item as defined (no service, no deferral).
        public var item: PlanItem
        /// Creates the payload.
        public init(vin: String, dealershipId: String, item: PlanItem) {
            self.vin = vin
            self.dealershipId = dealershipId
            self.item = item
        }
    }

    /// Payload of `PlanItemServiced`.
    public struct ItemServiced: Hashable, Sendable {
        public var itemId: String
        public var service: ServiceRecord
        /// Creates the payload.
        public init(itemId: String, service: ServiceRecord) {
            self.itemId = itemId
            self.service = service
        }
    }

    /// Payload of `PlanItemDeferred`.
    public struct ItemDeferred: Hashable, Sendable {
        public var itemId: String
        public var deferral: Deferral
        public var deferredBy: String
        /// Creates the payload.
        public init(itemId: String, deferral: Deferral, deferredBy: String) {
            self.itemId = itemId
            self.deferral = deferral
            self.deferredBy = deferredBy
        }
    }

    /// Payload of `PlanItemRemoved`.
    public struct ItemRemoved: Hashable, Sendable {
        public var itemId: String
        public var reason: String
        public var removedBy: String
        /// Creates the payload.
        public init(itemId: String, reason: String, removedBy: String) {
            self.itemId = itemId
            self.reason = reason
            self.removedBy = removedBy
        }
    }
}
