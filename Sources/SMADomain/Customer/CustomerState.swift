/// The current state of one customer, folded from `customer-<id>`.
public struct CustomerState: AggregateState {
    public typealias Event = CustomerEvent

    /// The customer id.
    public var customerId: String
    /// The dealership the customer belongs to.
    public var dealershipId: String
    /// Full name.
    public var name: String
    /// Current contact details.
    public var contact: ContactInfo

    /// Creates a state.
    public init(customerId: String, dealershipId: String, name: String, contact: ContactInfo) {
        self.customerId = customerId
        self.dealershipId = dealershipId
        self.name = name
        self.contact = contact
    }

    /// The state after `event`.
    public static func evolve(_ state: CustomerState?, _ event: CustomerEvent) -> CustomerState? {
        switch event {
        case .registered(let e):
            return CustomerState(customerId: e.customerId, dealershipId: e.dealershipId, name: e.name, contact: e.contact)
        case .contactUpdated(let e):
            guard var state else { return nil }
            state.contact = e.contact
            return state
        }
    }
}
