import SMADomain
import SMAProtos

extension ValueMapping {
    /// The wire form of a service interval.
    public static func interval(_ value: ServiceInterval) -> Sma_V1_ServiceInterval {
        var message = Sma_V1_ServiceInterval()
        message.distance = value.distance.map(distance)
        message.days = value.days
        return message
    }

    /// A service interval from the wire; `field` names it in errors.
    public static func interval(_ message: Sma_V1_ServiceInterval?, field: String) throws(DomainError) -> ServiceInterval {
        guard let message else { throw .invalidArgument(field: field, reason: "is required: a distance, a number of days, or both") }
        return try ServiceInterval(distance: try optionalDistance(message.distance, field: "\(field).distance"), days: message.days)
    }

    /// The wire form of due-soon thresholds.
    public static func dueSoon(_ value: DueSoonThreshold) -> Sma_V1_DueSoonThreshold {
        var message = Sma_V1_DueSoonThreshold()
        message.distance = value.distance.map(distance)
        message.days = value.days
        return message
    }

    /// Due-soon thresholds from the wire; unset means no due-soon warning.
    public static func dueSoon(_ message: Sma_V1_DueSoonThreshold?, field: String) throws(DomainError) -> DueSoonThreshold {
        guard let message else { return .disabled }
        return try DueSoonThreshold(distance: try optionalDistance(message.distance, field: "\(field).distance"), days: message.days)
    }

    /// The wire form of a schedule kind.
    public static func schedule(_ value: ScheduleKind) -> Sma_V1_ScheduleKind {
        switch value {
        case .rolling: return .rolling
        case .fixed: return .fixed
        }
    }

    /// A schedule kind from the wire; UNSPECIFIED is refused.
    public static func schedule(_ message: Sma_V1_ScheduleKind, field: String) throws(DomainError) -> ScheduleKind {
        switch message {
        case .rolling: return .rolling
        case .fixed: return .fixed
        default: throw .invalidArgument(field: field, reason: "must be SCHEDULE_KIND_ROLLING or SCHEDULE_KIND_FIXED")
        }
    }

    /// The wire form of a due status.
    public static func dueStatus(_ value: DueStatus) -> Sma_V1_DueStatus {
        switch value {
        case .ok: return .ok
        case .dueSoon: return .dueSoon
        case .overdue: return .overdue
        }
    }
}
