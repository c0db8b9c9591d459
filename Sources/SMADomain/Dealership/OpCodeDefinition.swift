/// A labour operation a dealership performs, with the hours it is billed at.
public struct OpCodeDefinition: Hashable, Sendable {
    /// The code, e.g. `"OIL-CHG"`.
    public var code: String
    /// What the operation is.
    public var description: String
    /// The standard (flat-rate) hours.
    public var standardHours: Quantity

    /// Creates a definition.
    public init(code: String, description: String, standardHours: Quantity) {
        self.code = code
        self.description = description
        self.standardHours = standardHours
    }
}
