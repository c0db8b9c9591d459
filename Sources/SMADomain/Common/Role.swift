/// A role a caller holds within the dealerships of its scope.
public enum Role: String, Hashable, Sendable, CaseIterable {
    /// A service advisor: opens orders, books appointments, talks to customers.
    case advisor
    /// A technician: works on jobs.
    case technician
    /// A service manager (privileged).
    case manager
    /// A dealership or platform administrator (privileged).
    case admin
    /// An internal process (e.g. a process manager) acting on the domain's behalf.
    case system

    /// Whether the role may perform privileged operations such as reopening a repair order.
    public var isPrivileged: Bool { self == .manager || self == .admin }
}
