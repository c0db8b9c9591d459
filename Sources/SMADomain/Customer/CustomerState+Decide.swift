extension CustomerState {
    /// Decides `command` against the customer's current state (`nil` for a new stream).
    /// - Returns: The events to append to `customer-<id>`; empty when nothing changes.
    public static func decide(_ command: CustomerCommand, _ state: CustomerState?, _ context: DecisionContext) throws(DomainError) -> [CustomerEvent] {
        try Validate.identifier(command.customerId, field: "customer_id")
        switch command {
        case .register(let customerId, let dealershipId, let name, let contact):
            try Validate.identifier(dealershipId, field: "dealership_id")
            try context.caller.requireAccess(to: dealershipId)
            try Validate.text(name, field: "name", maxLength: 200)
            if let state {
                try context.caller.requireAccess(to: state.dealershipId)
                throw .alreadyExists(entity: "customer", id: customerId)
            }
            return [.registered(.init(customerId: customerId, dealershipId: dealershipId, name: name, contact: contact, registeredAt: context.now))]
        case .updateContact(let customerId, let contact):
            guard let state else { throw .notFound(entity: "customer", id: customerId) }
            try context.caller.requireAccess(to: state.dealershipId)
            guard contact != state.contact else { return [] }
            return [.contactUpdated(.init(customerId: customerId, contact: contact, updatedAt: context.now))]
        }
    }
}
