/// The dealerships a caller may act in.
public enum DealershipScope: Hashable, Sendable {
    /// Every dealership (platform operators).
    case all
    /// Only these dealership ids.
    case only(Set<String>)

    /// Whether `dealershipId` is inside this scope.
    public func contains(_ dealershipId: String) -> Bool {
        switch self {
        case .all: return true
        case .only(let ids): return ids.contains(dealershipId)
        }
    }
}
