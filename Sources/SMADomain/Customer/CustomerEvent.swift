/// A fact recorded on a customer stream.
public enum CustomerEvent: DomainEvent {
    /// `CustomerRegistered`.
    case registered(Registered)
    /// `CustomerContactUpdated`.
    case contactUpdated(ContactUpdated)

    /// Every event type this enum can carry.
    public static let eventTypes = ["CustomerRegistered", "CustomerContactUpdated"]

    /// The stable stored name of the event.
    public var eventType: String {
        switch self {
        case .registered: return "CustomerRegistered"
        case .contactUpdated: return "CustomerContactUpdated"
        }
    }

    /// Payload of `CustomerRegistered`.
    public struct Registered: Hashable, Sendable {
        public var customerId: String
        public var dealershipId: String
        public var name: String
        public var contact: ContactInfo
        public var registeredAt: Timestamp
        /// Creates the payload.
        public init(customerId: String, dealershipId: String, name: String, contact: ContactInfo, registeredAt: Timestamp) {
            self.customerId = customerId
            self.dealershipId = dealershipId
            self.name = name
            self.contact = contact
            self.registeredAt = registeredAt
        }
    }

    /// Payload of `CustomerContactUpdated`.
    public struct ContactUpdated: Hashable, Sendable {
        public var customerId: String
        public var contact: ContactInfo
        public var updatedAt: Timestamp
        /// Creates the payload.
        public init(customerId: String, contact: ContactInfo, updatedAt: Timestamp) {
            self.customerId = customerId
            self.contact = contact
            self.updatedAt = updatedAt
        }
    }
}
