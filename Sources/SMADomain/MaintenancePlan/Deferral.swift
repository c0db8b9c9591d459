/// A postponement of a plan item's due point, agreed with the customer.
public struct Deferral: Hashable, Sendable {
    /// Not due before this odometer.
    public var untilOdometer: Distance?
    /// Not due before this time.
    public var untilTime: Timestamp?
    /// Why it was deferred.
    public var reason: String

    /// Creates a deferral.
    public init(untilOdometer: Distance?, untilTime: Timestamp?, reason: String) {
        self.untilOdometer = untilOdometer
        self.untilTime = untilTime
        self.reason = reason
    }
}
