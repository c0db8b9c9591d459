/// A command addressed to a customer stream, `customer-<id>`.
public enum CustomerCommand: Hashable, Sendable {
    /// Registers a customer of `dealershipId`.
    case register(customerId: String, dealershipId: String, name: String, contact: ContactInfo)
    /// Replaces the customer's contact details.
    case updateContact(customerId: String, contact: ContactInfo)

    /// The customer the command addresses.
    public var customerId: String {
        switch self {
        case .register(let id, _, _, _), .updateContact(let id, _): return id
        }
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.customer(customerId) }
}
