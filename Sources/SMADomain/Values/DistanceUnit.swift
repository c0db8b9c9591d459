/// The unit an odometer or interval distance was given in.
public enum DistanceUnit: String, Hashable, Sendable, CaseIterable {
    /// Kilometres.
    case km
    /// Statute miles.
    case mi

    /// Exact millimetres per unit (1 mi = 1 609.344 m).
    public var millimetersPerUnit: Int64 {
        switch self {
        case .km: return 1_000_000
        case .mi: return 1_609_344
        }
    }
}
