/// One recurring service in a vehicle's maintenance plan.
public struct PlanItem: Hashable, Sendable {
    /// The item id, unique within the plan.
    public var itemId: String
    /// E.g. "Engine oil and filter".
    public var name: String
    /// The op code whose completion services this item.
    public var opCode: String
    /// How often it is due.
    public var interval: ServiceInterval
    /// Rolling or fixed.
    public var schedule: ScheduleKind
    /// Due-soon thresholds.
    public var dueSoon: DueSoonThreshold
    /// The odometer and time the schedule starts from.
    public var baseline: OdometerReading
    /// The last service, if any.
    public var lastService: ServiceRecord?
    /// The current deferral, cleared by the next service.
    public var deferral: Deferral?

    /// Creates an item.
    public init(itemId: String, name: String, opCode: String, interval: ServiceInterval, schedule: ScheduleKind, dueSoon: DueSoonThreshold, baseline: OdometerReading) {
        self.itemId = itemId
        self.name = name
        self.opCode = opCode
        self.interval = interval
        self.schedule = schedule
        self.dueSoon = dueSoon
        self.baseline = baseline
    }
}
