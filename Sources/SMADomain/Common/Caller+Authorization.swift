extension Caller {
    /// Refuses unless `dealershipId` is inside the caller's scope.
    func requireAccess(to dealershipId: String) throws(DomainError) {
        guard dealershipScope.contains(dealershipId) else {
            throw .permissionDenied(reason: "caller '\(subject)' may not act in dealership '\(dealershipId)'; use a credential scoped to that dealership")
        }
    }

    /// Refuses unless the caller holds a privileged role (manager or admin).
    func requirePrivileged(for action: String) throws(DomainError) {
        guard isPrivileged else {
            throw .permissionDenied(reason: "\(action) requires the manager or admin role")
        }
    }

    /// Refuses unless the caller holds at least one of `roles`.
    func requireAnyRole(_ roles: Set<Role>, for action: String) throws(DomainError) {
        guard !self.roles.isDisjoint(with: roles) else {
            let names = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw .permissionDenied(reason: "\(action) requires the \(names) role")
        }
    }
}
