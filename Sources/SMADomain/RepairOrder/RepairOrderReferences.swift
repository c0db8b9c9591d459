/// Other aggregates' states a repair-order decision reads (loaded by the wire layer).
///
/// `open` needs both; `addJob`, `addLaborLine` and `assignTechnician` need ``dealership``;
/// `complete` checks ``vehicle`` when given. Other actions ignore them.
public struct RepairOrderReferences: Hashable, Sendable {
    /// The order's dealership.
    public var dealership: DealershipState?
    /// The order's vehicle.
    public var vehicle: VehicleState?

    /// Creates references.
    public init(dealership: DealershipState? = nil, vehicle: VehicleState? = nil) {
        self.dealership = dealership
        self.vehicle = vehicle
    }

    /// No references.
    public static let none = RepairOrderReferences()
}
