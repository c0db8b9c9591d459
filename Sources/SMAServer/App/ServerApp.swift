import Foundation
import SMAAllocator
import SMAApplication
import SMADomain
import SMAEventStore
import SMAHTTP2
import SMAProtos
import SMARPC
import SMAStandardServices

/// Wires `sma-server`: configuration, services, interceptors, transport, signals.
public enum ServerApp {
    /// Runs the server until SIGTERM/SIGINT; returns the process exit code.
    public static func run(arguments: [String], environment: [String: String]) async -> Int32 {
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.parse(arguments: arguments, environment: environment)
        } catch .helpRequested {
            print(ServerConfiguration.usage)
            return 0
        } catch {
            FileHandle.standardError.write(Data("sma-server: \(error)\n".utf8))
            return 2
        }
        let log = StructuredLog(minimumLevel: StructuredLog.Level(name: configuration.logLevel))
        log.event("memory_allocator", ["allocator": Allocator.describe()])
        do {
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            log.event("startup_failed", ["reason": "cannot create data directory \(configuration.dataDirectory): \(error)"], level: .error)
            return 1
        }
        log.event("auth_mode", ["mode": configuration.authMode,
                                "warning": "DEVELOPMENT MODE: no authentication, every caller is trusted"], level: .warning)

        let store: FileEventStore
        do {
            store = try FileEventStore.open(directory: configuration.dataDirectory + "/events")
        } catch {
            log.event("startup_failed", ["reason": "cannot open the event store: \(error)"], level: .error)
            return 1
        }
        let clock: @Sendable () -> Timestamp = {
            Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
        }

        let health = HealthStatusBoard()
        var router = RPCRouter()
        router.register(HealthService(board: health))
        // One executor per aggregate type, shared by every service that reads or writes it: each
        // executor caches states, which stays coherent only if all appends go through it.
        let dealerships = CommandExecutor<DealershipAggregate>(store: store, clock: clock)
        let vehicles = CommandExecutor<VehicleAggregate>(store: store, clock: clock)
        let plans = CommandExecutor<MaintenancePlanAggregate>(store: store, clock: clock)
        router.register(DealershipGRPCService(executor: dealerships))
        router.register(VehicleGRPCService(executor: vehicles))
        router.register(CustomerGRPCService(executor: CommandExecutor(store: store, clock: clock)))
        router.register(MaintenancePlanGRPCService(executor: plans, vehicles: vehicles, clock: clock))
        router.register(RepairOrderGRPCService(executor: CommandExecutor(store: store, clock: clock), dealerships: dealerships, vehicles: vehicles))
        router.register(AppointmentGRPCService(executor: CommandExecutor(store: store, clock: clock)))
        let shutdownNotice = ShutdownNotice()
        router.register(EventGRPCService(store: store, shutdown: shutdownNotice))
        let reflection = ReflectionIndex(
            descriptorSets: [(SMAProtosDescriptors.files, SMAProtosDescriptors.symbols)],
            services: router.serviceNames + [Grpc_Reflection_V1_ServerReflection.serviceName,
                                             Grpc_Reflection_V1alpha_ServerReflection.serviceName])
        router.register(ReflectionServiceV1(index: reflection))
        router.register(ReflectionServiceV1Alpha(index: reflection))
        let rpc = RPCServer(router: router, filters: [LoggingInterceptor(log: log), DevelopmentCallerInterceptor()],
                            maxReceiveMessageSize: configuration.transport.maxReceiveMessageSize)
        let server = HTTP2Server(configuration: configuration.transport, rpc: rpc, log: log)
        let port: Int
        do {
            port = try server.start()
        } catch {
            log.event("startup_failed", ["reason": "\(error)"], level: .error)
            return 1
        }
        health.set("", .serving)
        for service in router.serviceNames { health.set(service, .serving) }
        // A store whose writer failed (a full disk, an I/O error) refuses every write from then
        // on: say so once, at error level, and stop reporting SERVING, so that a readiness check
        // takes this replica out of rotation and a liveness check restarts it.
        Task {
            let reason = await store.stopped()
            if case .closed = reason { return }
            log.event("event_store_failed", ["reason": "\(reason)",
                                             "effect": "every write fails with UNAVAILABLE; health is NOT_SERVING; restart once the cause is fixed"],
                      level: .error)
            health.setAll(.notServing)
        }
        FileHandle.standardOutput.write(Data(
            "sma-server listening on \(configuration.transport.host):\(port) (h2c, gRPC) data-dir=\(configuration.dataDirectory)\n".utf8))

        // Background work runs in a task group: the process managers until shutdown.
        let completion = RepairOrderCompletionProcess(
            store: store, vehicles: vehicles, plans: plans,
            checkpoint: ProcessCheckpoint(directory: configuration.dataDirectory + "/process-managers", name: "repair-order-completion"),
            report: { event, fields in log.event(event, fields, level: .warning) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await completion.run() }
            let signal = await SignalWaiter.waitForTermination()
            log.event("signal_received", ["signal": signal])
            health.enterShutdown()
            shutdownNotice.begin()  // live subscriptions end now; unary calls get the grace period
            await server.shutdown()
            group.cancelAll()
        }
        await store.close()
        let written = store.statistics
        log.event("event_store_closed", [
            "appends": String(written.appends), "events": String(written.events), "syncs": String(written.syncs),
            "sync_mean_us": String(written.syncs == 0 ? 0 : Int(written.syncDuration / .microseconds(1)) / Int(written.syncs)),
            "checkpoint_failures": String(written.checkpointFailures),
            "preallocated_bytes": String(written.preallocatedBytes), "preallocation_failures": String(written.preallocationFailures),
        ], level: written.checkpointFailures > 0 || written.preallocationFailures > 0 ? .warning : .info)
        return 0
    }
}

extension StructuredLog.Level {
    init(name: String) {
        switch name {
        case "debug": self = .debug
        case "warning": self = .warning
        case "error": self = .error
        default: self = .info
        }
    }
}
