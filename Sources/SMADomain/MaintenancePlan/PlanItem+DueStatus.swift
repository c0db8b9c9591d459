extension PlanItem {
    /// The odometer (canonical millimetres) at which the item is next due, or nil without a distance interval.
    public var nextDueMillimeters: Int64? {
        guard let interval = interval.distance?.canonicalMillimeters else { return nil }
        let origin = baseline.distance.canonicalMillimeters
        var due = Self.nextDue(origin: origin, interval: interval, last: lastService?.odometer.canonicalMillimeters, schedule: schedule)
        if let until = deferral?.untilOdometer?.canonicalMillimeters { due = max(due, until) }
        return due
    }

    /// The time at which the item is next due, or nil without a time interval.
    public var nextDueTime: Timestamp? {
        guard let days = interval.days else { return nil }
        let (intervalMs, _) = days.multipliedReportingOverflow(by: Timestamp.millisecondsPerDay)
        let origin = baseline.recordedAt.millisecondsSinceEpoch
        var due = Timestamp(millisecondsSinceEpoch: Self.nextDue(origin: origin, interval: intervalMs, last: lastService?.at.millisecondsSinceEpoch, schedule: schedule))
        if let until = deferral?.untilTime { due = max(due, until) }
        return due
    }

    /// How urgent the item is at `odometer` and `now`: the worse of its distance and time
    /// status (whichever comes first). Reaching the due point counts as overdue.
    public func dueStatus(odometer: Distance, now: Timestamp) -> DueStatus {
        var status = DueStatus.ok
        if let due = nextDueMillimeters {
            let threshold = dueSoon.distance?.canonicalMillimeters
            status = max(status, Self.status(remaining: due - odometer.canonicalMillimeters, threshold: threshold))
        }
        if let due = nextDueTime {
            let threshold = dueSoon.days.map { $0 * Timestamp.millisecondsPerDay }
            let (remaining, overflow) = due.millisecondsSinceEpoch.subtractingReportingOverflow(now.millisecondsSinceEpoch)
            status = max(status, Self.status(remaining: overflow ? .max : remaining, threshold: threshold))
        }
        return status
    }

    private static func status(remaining: Int64, threshold: Int64?) -> DueStatus {
        if remaining <= 0 { return .overdue }
        if let threshold, remaining <= threshold { return .dueSoon }
        return .ok
    }

    /// The next due point on one axis (millimetres or milliseconds), saturating on overflow.
    private static func nextDue(origin: Int64, interval: Int64, last: Int64?, schedule: ScheduleKind) -> Int64 {
        switch schedule {
        case .rolling:
            return saturatingAdd(last ?? origin, interval)
        case .fixed:
            guard let last, last > origin else { return saturatingAdd(origin, interval) }
            let elapsed = last - origin
            let nearest = (elapsed + interval / 2) / interval
            let (offset, overflow) = (nearest + 1).multipliedReportingOverflow(by: interval)
            return overflow ? .max : saturatingAdd(origin, offset)
        }
    }

    private static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
