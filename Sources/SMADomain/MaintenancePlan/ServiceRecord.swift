/// When and at what odometer a plan item was last serviced.
public struct ServiceRecord: Hashable, Sendable {
    /// The odometer at service.
    public var odometer: Distance
    /// When it was serviced.
    public var at: Timestamp
    /// What performed it (e.g. the repair-order stream), so a replayed command is recognised.
    public var sourceId: String

    /// Creates a record.
    public init(odometer: Distance, at: Timestamp, sourceId: String) {
        self.odometer = odometer
        self.at = at
        self.sourceId = sourceId
    }
}
