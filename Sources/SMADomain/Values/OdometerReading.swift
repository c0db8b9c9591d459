/// An odometer value observed at a point in time.
public struct OdometerReading: Hashable, Sendable {
    /// The distance shown on the odometer, in the unit it was read in.
    public var distance: Distance
    /// When it was recorded.
    public var recordedAt: Timestamp

    /// Creates a reading.
    public init(distance: Distance, recordedAt: Timestamp) {
        self.distance = distance
        self.recordedAt = recordedAt
    }
}
