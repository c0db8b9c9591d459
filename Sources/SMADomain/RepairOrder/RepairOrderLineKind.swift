/// Whether a repair-order line bills labour or parts.
public enum RepairOrderLineKind: String, Hashable, Sendable {
    /// Hours × labour rate.
    case labor
    /// Quantity × unit price of a part.
    case parts
}
