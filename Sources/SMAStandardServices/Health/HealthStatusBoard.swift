import SMAProtos
import Synchronization

/// The serving status of each service, with live watchers (`grpc.health.v1.Health/Watch`).
///
/// The empty service name stands for the whole server.
public final class HealthStatusBoard: Sendable {
    public typealias ServingStatus = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: ServingStatus] = [:]
        var watchers: [Int: (service: String, continuation: AsyncStream<ServingStatus>.Continuation)] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())
    /// The server's own status (the empty service name), mirrored outside the lock: load
    /// balancers and Kubernetes probes ask for it far more than for anything else, and a
    /// lock and a string hash per check were 1.5% of a call's CPU. `rawValue + 1`, 0 = unknown.
    /// Written under the lock, with `statuses[""]`.
    private let serverStatus = Atomic<Int>(0)

    public init() {}

    /// Sets the status of `service` and notifies its watchers.
    public func set(_ service: String, _ status: ServingStatus) {
        let toNotify = state.withLock { state -> [AsyncStream<ServingStatus>.Continuation] in
            guard state.statuses[service] != status else { return [] }
            state.statuses[service] = status
            if service.isEmpty { serverStatus.store(Int(status.rawValue) + 1, ordering: .releasing) }
            return state.watchers.values.filter { $0.service == service }.map(\.continuation)
        }
        for continuation in toNotify { continuation.yield(status) }
    }

    /// Marks every known service NOT_SERVING (shutdown has begun).
    public func enterShutdown() {
        setAll(.notServing)
    }

    /// Sets the status of every known service (the server as a whole included).
    public func setAll(_ status: ServingStatus) {
        let services = state.withLock { Array($0.statuses.keys) }
        for service in services { set(service, status) }
    }

    /// The current status, `nil` for an unknown service.
    public func status(of service: String) -> ServingStatus? {
        if service.isEmpty {
            let mirrored = serverStatus.load(ordering: .acquiring)
            return mirrored == 0 ? nil : ServingStatus(rawValue: Int32(mirrored - 1))
        }
        return state.withLock { $0.statuses[service] }
    }

    /// A stream of status changes of `service`, starting with its current status
    /// (SERVICE_UNKNOWN while unknown). Holds at most the latest few updates.
    public func watch(_ service: String) -> AsyncStream<ServingStatus> {
        let (stream, continuation) = AsyncStream<ServingStatus>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { state -> Int in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = (service, continuation)
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }
}
