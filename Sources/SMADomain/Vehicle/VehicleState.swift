/// The current state of one vehicle, folded from `vehicle-<VIN>`.
public struct VehicleState: AggregateState {
    public typealias Event = VehicleEvent

    /// The VIN.
    public var vin: String
    /// The dealership the vehicle belongs to.
    public var dealershipId: String
    /// Manufacturer.
    public var make: String
    /// Model name.
    public var model: String
    /// Model year.
    public var year: Int64
    /// The current owner.
    public var ownerCustomerId: String
    /// The latest odometer reading (recorded or corrected).
    public var lastReading: OdometerReading?
    /// Whether the vehicle has been retired.
    public var isRetired: Bool = false

    /// Creates the state of a freshly registered vehicle.
    public init(vin: String, dealershipId: String, make: String, model: String, year: Int64, ownerCustomerId: String, lastReading: OdometerReading?) {
        self.vin = vin
        self.dealershipId = dealershipId
        self.make = make
        self.model = model
        self.year = year
        self.ownerCustomerId = ownerCustomerId
        self.lastReading = lastReading
    }

    /// The state after `event`.
    public static func evolve(_ state: VehicleState?, _ event: VehicleEvent) -> VehicleState? {
        if case .registered(let e) = event {
            return VehicleState(
                vin: e.vin, dealershipId: e.dealershipId, make: e.make, model: e.model, year: e.year,
                ownerCustomerId: e.ownerCustomerId,
                lastReading: e.odometer.map { OdometerReading(distance: $0, recordedAt: e.registeredAt) })
        }
        guard var state else { return nil }
        switch event {
        case .registered:
            break
        case .odometerRecorded(let e):
            state.lastReading = OdometerReading(distance: e.reading, recordedAt: e.recordedAt)
        case .odometerCorrected(let e):
            state.lastReading = OdometerReading(distance: e.corrected, recordedAt: e.correctedAt)
        case .ownershipTransferred(let e):
            state.ownerCustomerId = e.toCustomerId
        case .retired:
            state.isRetired = true
        }
        return state
    }
}
