/// A command addressed to a vehicle stream, `vehicle-<VIN>`.
public enum VehicleCommand: Hashable, Sendable {
    /// Registers a vehicle once per VIN, owned by a customer of `dealershipId`.
    case register(vin: VIN, dealershipId: String, make: String, model: String, year: Int64, ownerCustomerId: String, odometer: Distance?)
    /// Records an odometer reading; it may not be below the last one (equal is a no-op).
    case recordOdometer(vin: VIN, reading: Distance)
    /// Replaces the last reading with a lower or higher value, recording why and who (the caller).
    case correctOdometer(vin: VIN, reading: Distance, reason: String)
    /// Transfers the vehicle to another customer.
    case transferOwnership(vin: VIN, newOwnerCustomerId: String)
    /// Retires the vehicle (scrapped, exported, …); a retired vehicle accepts no further changes.
    case retire(vin: VIN, reason: String)

    /// The vehicle the command addresses.
    public var vin: VIN {
        switch self {
        case .register(let vin, _, _, _, _, _, _), .recordOdometer(let vin, _), .correctOdometer(let vin, _, _),
             .transferOwnership(let vin, _), .retire(let vin, _):
            return vin
        }
    }

    /// The stream the command is decided on and appended to.
    public var streamName: String { StreamName.vehicle(vin) }
}
