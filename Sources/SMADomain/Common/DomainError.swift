/// Why the domain refused a command; each case maps to one gRPC status in the wire layer.
///
/// | Case | gRPC status |
/// |---|---|
/// | ``invalidArgument(field:reason:)`` | `INVALID_ARGUMENT` |
/// | ``notFound(entity:id:)`` | `NOT_FOUND` |
/// | ``alreadyExists(entity:id:)`` | `ALREADY_EXISTS` |
/// | ``failedPrecondition(reason:)`` | `FAILED_PRECONDITION` |
/// | ``permissionDenied(reason:)`` | `PERMISSION_DENIED` |
public enum DomainError: Error, Hashable, Sendable {
    /// A field of the command is malformed or out of range; `reason` says what is expected.
    case invalidArgument(field: String, reason: String)
    /// The command refers to an entity that does not exist.
    case notFound(entity: String, id: String)
    /// The command would create an entity that already exists (e.g. a VIN registered twice).
    case alreadyExists(entity: String, id: String)
    /// The command is well formed but the entity's current state forbids it.
    case failedPrecondition(reason: String)
    /// The caller may not do this: wrong dealership or missing role.
    case permissionDenied(reason: String)
}

extension DomainError: CustomStringConvertible {
    /// A sentence for the caller that says what was wrong and what is expected.
    public var message: String {
        switch self {
        case .invalidArgument(let field, let reason):
            return "invalid \(field): \(reason)"
        case .notFound(let entity, let id):
            return "\(entity) '\(id)' does not exist; create it first or check the id"
        case .alreadyExists(let entity, let id):
            return "\(entity) '\(id)' already exists; it can be created only once"
        case .failedPrecondition(let reason):
            return reason
        case .permissionDenied(let reason):
            return "permission denied: \(reason)"
        }
    }

    /// The field an ``invalidArgument(field:reason:)`` names, or `nil` for other cases.
    public var field: String? {
        if case .invalidArgument(let field, _) = self { return field }
        return nil
    }

    /// Same as ``message``.
    public var description: String { message }
}
