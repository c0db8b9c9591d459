/// The authenticated principal behind a command, taken from the RPC context by the wire layer.
public struct Caller: Hashable, Sendable {
    /// Who is acting (a user id or a process name); recorded as the actor in audit events.
    public var subject: String
    /// The dealerships the caller may act in.
    public var dealershipScope: DealershipScope
    /// The caller's roles.
    public var roles: Set<Role>

    /// Creates a caller.
    public init(subject: String, dealershipScope: DealershipScope, roles: Set<Role>) {
        self.subject = subject
        self.dealershipScope = dealershipScope
        self.roles = roles
    }

    /// Whether the caller holds a privileged role (manager or admin).
    public var isPrivileged: Bool { roles.contains { $0.isPrivileged } }

    /// The caller a process manager uses when it issues commands for one dealership.
    public static func process(_ name: String, dealershipId: String) -> Caller {
        Caller(subject: "process:\(name)", dealershipScope: .only([dealershipId]), roles: [.system])
    }
}
