/// The event-store stream names of the domain's aggregates.
///
/// Built by concatenation, not interpolation: every command builds one, and interpolation
/// costs a growing buffer where `+` allocates the result once.
public enum StreamName {
    /// `dealership-<id>`.
    public static func dealership(_ dealershipId: String) -> String { "dealership-" + dealershipId }
    /// `customer-<id>`.
    public static func customer(_ customerId: String) -> String { "customer-" + customerId }
    /// `vehicle-<VIN>`.
    public static func vehicle(_ vin: VIN) -> String { "vehicle-" + vin.value }
    /// `plan-<VIN>`: the vehicle's maintenance plan.
    public static func maintenancePlan(_ vin: VIN) -> String { "plan-" + vin.value }
    /// `ro-<dealershipId>-<number>`: numbers come from the dealership, so the name is unique.
    public static func repairOrder(dealershipId: String, number: Int64) -> String { "ro-\(dealershipId)-\(number)" }
    /// `appointment-<id>`.
    public static func appointment(_ appointmentId: String) -> String { "appointment-" + appointmentId }

    /// Stream-name prefixes, for `$all` filters and routing events to their aggregate.
    public static let prefixes: [String] = ["dealership-", "customer-", "vehicle-", "plan-", "ro-", "appointment-"]
}
