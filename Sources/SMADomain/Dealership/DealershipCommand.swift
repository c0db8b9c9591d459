/// A command addressed to a dealership (the tenant) stream, `dealership-<id>`.
public enum DealershipCommand: Hashable, Sendable {
    /// Registers a new dealership (admin only) with the currency it bills in.
    case register(dealershipId: String, name: String, currency: Currency)
    /// Adds a technician to the dealership's roster (manager or admin).
    case addTechnician(dealershipId: String, technicianId: String, name: String)
    /// Removes a technician from the roster (manager or admin).
    case removeTechnician(dealershipId: String, technicianId: String)
    /// Defines or redefines a labour operation code with its standard hours (manager or admin).
    case defineOpCode(dealershipId: String, opCode: String, description: String, standardHours: Quantity)
    /// Sets the hourly labour rate, in the dealership's currency (manager or admin).
    case setLaborRate(dealershipId: String, ratePerHour: Money)
    /// Allocates the next repair-order number for the request `requestId` (idempotent per request).
    case allocateRepairOrderNumber(dealershipId: String, requestId: String)

    /// The dealership the command addresses.
    public var dealershipId: String {
        switch self {
        case .register(let id, _, _), .addTechnician(let id, _, _), .removeTechnician(let id, _),
             .defineOpCode(let id, _, _, _), .setLaborRate(let id, _), .allocateRepairOrderNumber(let id, _):
            return id
        }
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.dealership(dealershipId) }
}
