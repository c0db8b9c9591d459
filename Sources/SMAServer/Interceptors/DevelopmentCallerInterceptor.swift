import SMADomain
import SMARPC

/// The context key under which interceptors store the authenticated ``Caller``.
public enum CallerKey: ContextKey {
    public typealias Value = Caller
}

/// Development mode only: trusts the caller's own description of itself, from metadata
/// `x-sma-subject` (default `developer`), `x-sma-roles` (comma-separated; default all roles)
/// and `x-sma-dealerships` (comma-separated ids or `*`; default `*`). The OAuth interceptor of
/// the security issue replaces this one; the server logs loudly that it runs in this mode.
public struct DevelopmentCallerInterceptor: ServerFilter {
    public init() {}

    public func callStarting(context: ServerContext) throws(RPCError) {
        guard Self.isSMAService(context.method.service) else { return }
        // Most calls send no x-sma-* header: skip parsing the metadata for them.
        if context.hasRequestHeader(withPrefix: "x-sma-") {
            context.setValue(try Self.caller(from: context.requestMetadata), for: CallerKey.self)
        } else {
            context.setValue(Self.boxedDefaultCaller, for: CallerKey.self)
        }
    }

    /// Whether `service` is in package `sma.` (checked on the UTF-8 bytes in place: this runs per
    /// call; `withUTF8` on a copy retained and released the string, `zip` over the view was slower).
    static func isSMAService(_ service: String) -> Bool {
        service.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count > 4 && bytes[0] == UInt8(ascii: "s") && bytes[1] == UInt8(ascii: "m")
                && bytes[2] == UInt8(ascii: "a") && bytes[3] == UInt8(ascii: ".")
        } ?? service.hasPrefix("sma.")
    }

    /// The caller when no `x-sma-*` header is sent (built once, not per call).
    static let defaultCaller = Caller(subject: "developer", dealershipScope: .all, roles: Set(Role.allCases.filter { $0 != .system }))
    static let boxedDefaultCaller = BoxedContextValue<CallerKey>(defaultCaller)

    static func caller(from metadata: Metadata) throws(RPCError) -> Caller {
        guard metadata.contains(where: { $0.key.hasPrefix("x-sma-") }) else { return defaultCaller }
        let subject = metadata.first("x-sma-subject") ?? "developer"
        var roles = defaultCaller.roles
        if let list = metadata.first("x-sma-roles") {
            roles = []
            for name in list.split(separator: ",") {
                guard let role = Role(rawValue: name.trimmingCharacters(in: " ")) else {
                    throw RPCError(code: .invalidArgument, message: "x-sma-roles: unknown role '\(name)'; expected \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                roles.insert(role)
            }
        }
        var scope = DealershipScope.all
        if let list = metadata.first("x-sma-dealerships"), list != "*" {
            scope = .only(Set(list.split(separator: ",").map { $0.trimmingCharacters(in: " ") }))
        }
        return Caller(subject: subject, dealershipScope: scope, roles: roles)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension ServerContext {
    /// The caller an interceptor authenticated; UNAUTHENTICATED when there is none.
    func caller() throws(RPCError) -> Caller {
        guard let caller = value(for: CallerKey.self) else {
            throw RPCError(code: .unauthenticated, message: "No authenticated caller for \(method.path)")
        }
        return caller
    }
}
