import SMADomain
import SMAEventStore

/// Follows the log and, for every completed repair order, records the vehicle's odometer and
/// marks the matching maintenance-plan items serviced (``RepairOrderCompletionPolicy``).
///
/// Commands carry ids derived from the triggering event, so a replay after a crash (or a
/// second run over the same events) never applies anything twice.
public final class RepairOrderCompletionProcess: Sendable {
    private let store: any EventStore
    private let vehicles: CommandExecutor<VehicleAggregate>
    private let plans: CommandExecutor<MaintenancePlanAggregate>
    private let checkpoint: ProcessCheckpoint
    private let report: @Sendable (String, [String: String]) -> Void
    private let retryDelay: (first: Duration, max: Duration)

    /// - Parameters:
    ///   - report: receives notable events (`process_command_refused`, …) for the log.
    ///   - retryDelay: the pause after a failure, doubled after each further failure without
    ///     progress up to `max` (a store that has stopped for good is then reported once a
    ///     minute, not every second), and back to `first` once an event was handled.
    public init(
        store: any EventStore, vehicles: CommandExecutor<VehicleAggregate>, plans: CommandExecutor<MaintenancePlanAggregate>,
        checkpoint: ProcessCheckpoint, retryDelay: (first: Duration, max: Duration) = (.seconds(1), .seconds(60)),
        report: @escaping @Sendable (String, [String: String]) -> Void
    ) {
        self.store = store
        self.vehicles = vehicles
        self.plans = plans
        self.checkpoint = checkpoint
        self.retryDelay = retryDelay
        self.report = report
    }

    /// Runs until the task is cancelled. Failures are retried after a growing pause without
    /// advancing the checkpoint.
    public func run() async {
        var delay = retryDelay.first
        while !Task.isCancelled {
            var progressed = false
            do {
                try await follow { progressed = true }
            } catch is CancellationError {
                return
            } catch {
                if progressed { delay = retryDelay.first }
                report("process_failed", ["process": RepairOrderCompletionPolicy.name, "error": "\(error)",
                                          "retry_in_ms": String(Int(delay / .milliseconds(1)))])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, retryDelay.max)
            }
        }
    }

    private func follow(onProgress: () -> Void) async throws {
        let start = try checkpoint.load()
        let filter = EventFilter(eventTypes: ["RepairOrderCompleted"])
        for try await message in store.subscribeToAll(from: LogPosition(start + 1), filter: filter) {
            try Task.checkCancellation()
            guard case .event(let recorded) = message else { continue }
            try await handle(recorded)
            try checkpoint.save(recorded.position.value)
            onProgress()
        }
    }

    /// Runs one issued command; returns the domain's refusal, throws other failures.
    private func issue(_ command: IssuedCommand, options: CommandOptions) async throws -> DomainError? {
        do {
            switch command.target {
            case .vehicle(let target):
                _ = try await vehicles.execute(target, on: command.streamName, caller: command.caller, options: options)
            case .maintenancePlan(let target):
                _ = try await plans.execute(target, on: command.streamName, caller: command.caller, options: options)
            }
            return nil
        } catch {
            if case .domain(let refusal) = error { return refusal }
            throw error
        }
    }

    /// Issues the policy's commands for one completed order.
    func handle(_ recorded: RecordedEvent) async throws {
        guard case .completed(let completed) = try RepairOrderAggregate.decode(eventType: recorded.eventType, payload: recorded.payload) else { return }
        let eventId = recorded.eventID.uuidString.lowercased()
        var plan: MaintenancePlanState?
        if let vin = try? VIN(completed.vin) {
            plan = try await plans.load(StreamName.maintenancePlan(vin)).1
        }
        for command in RepairOrderCompletionPolicy.commands(for: completed, eventId: eventId, plan: plan) {
            let options = CommandOptions(commandId: command.commandId, correlationId: recorded.metadata.correlationID ?? "",
                                         causationId: eventId)
            if let refusal = try await issue(command, options: options) {
                // Retrying cannot succeed (e.g. a later odometer reading exists): record and move on.
                report("process_command_refused", ["process": RepairOrderCompletionPolicy.name, "command_id": command.commandId,
                                                   "reason": refusal.message])
            }
        }
    }
}
