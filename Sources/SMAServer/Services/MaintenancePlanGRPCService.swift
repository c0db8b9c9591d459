import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.MaintenancePlanService`: plan commands for the executor, and the due-status query
/// computed from the plan, the vehicle's last odometer reading and the clock.
struct MaintenancePlanGRPCService: Sma_V1_MaintenancePlanServiceService {
    let executor: CommandExecutor<MaintenancePlanAggregate>
    /// Shared with the vehicle service, so its cached states stay coherent.
    let vehicles: CommandExecutor<VehicleAggregate>
    let clock: @Sendable () -> Timestamp

    func definePlanItem(request: Sma_V1_DefinePlanItemRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            MaintenancePlanCommand.defineItem(
                vin: try VIN(request.vin), dealershipId: request.dealershipId, itemId: request.itemId, name: request.name,
                opCode: request.opCode, interval: try ValueMapping.interval(request.interval, field: "interval"),
                schedule: try ValueMapping.schedule(request.schedule, field: "schedule"),
                dueSoon: try ValueMapping.dueSoon(request.dueSoon, field: "due_soon"),
                baselineOdometer: try ValueMapping.distance(request.baselineOdometer, field: "baseline_odometer"))
        }
        return try await run(command, context, options)
    }

    func markPlanItemServiced(request: Sma_V1_MarkPlanItemServicedRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            MaintenancePlanCommand.markServiced(
                vin: try VIN(request.vin), itemId: request.itemId, odometer: try ValueMapping.distance(request.odometer, field: "odometer"),
                servicedAt: try ValueMapping.optionalTimestamp(request.servicedAt, field: "serviced_at"), sourceId: request.sourceId)
        }
        return try await run(command, context, options)
    }

    func deferPlanItem(request: Sma_V1_DeferPlanItemRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            MaintenancePlanCommand.deferItem(
                vin: try VIN(request.vin), itemId: request.itemId,
                untilOdometer: try ValueMapping.optionalDistance(request.untilOdometer, field: "until_odometer"),
                untilTime: try ValueMapping.optionalTimestamp(request.untilTime, field: "until_time"), reason: request.reason)
        }
        return try await run(command, context, options)
    }

    func removePlanItem(request: Sma_V1_RemovePlanItemRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            MaintenancePlanCommand.removeItem(vin: try VIN(request.vin), itemId: request.itemId, reason: request.reason)
        }
        return try await run(command, context, options)
    }

    func getPlanDueStatus(request: Sma_V1_GetPlanDueStatusRequest, context: ServerContext) async throws -> Sma_V1_GetPlanDueStatusResponse {
        let caller = try context.caller()
        let vin = try CommandRequest.domain { () throws(DomainError) in try VIN(request.vin) }
        let (version, loaded) = try await executor.load(StreamName.maintenancePlan(vin))
        guard let plan = loaded else { throw CommandError.domain(.notFound(entity: "maintenance plan", id: vin.value)) }
        guard caller.dealershipScope.contains(plan.dealershipId) else {
            throw CommandError.domain(.permissionDenied(reason: "caller '\(caller.subject)' may not read dealership '\(plan.dealershipId)'; use a credential scoped to that dealership"))
        }
        let (_, vehicle) = try await vehicles.load(StreamName.vehicle(vin))
        let odometer = vehicle?.lastReading?.distance
        let now = clock()

        var response = Sma_V1_GetPlanDueStatusResponse()
        response.vin = plan.vin
        response.dealershipId = plan.dealershipId
        response.planVersion = version
        response.odometer = odometer.map(ValueMapping.distance)
        response.evaluatedAt = ValueMapping.timestamp(now)
        response.items = plan.items.values.sorted { $0.itemId < $1.itemId }.map { item in
            Self.dueStatus(item, odometer: odometer ?? item.baseline.distance, now: now)
        }
        return response
    }

    /// One item's status and next due points on the wire.
    private static func dueStatus(_ item: PlanItem, odometer: Distance, now: Timestamp) -> Sma_V1_PlanItemDueStatus {
        var message = Sma_V1_PlanItemDueStatus()
        message.itemId = item.itemId
        message.name = item.name
        message.opCode = item.opCode
        message.status = ValueMapping.dueStatus(item.dueStatus(odometer: odometer, now: now))
        if let millimeters = item.nextDueMillimeters, let unit = item.interval.distance?.unit {
            // The due point in the interval's unit, rounded up: the item is due once it is reached.
            let perUnit = unit.millimetersPerUnit
            let value = millimeters / perUnit + (millimeters % perUnit > 0 ? 1 : 0)
            message.nextDueOdometer = (try? Distance(value: value, unit: unit)).map(ValueMapping.distance)
        }
        message.nextDueTime = item.nextDueTime.map(ValueMapping.timestamp)
        message.lastServicedOdometer = item.lastService.map { ValueMapping.distance($0.odometer) }
        message.lastServicedAt = item.lastService.map { ValueMapping.timestamp($0.at) }
        message.deferred = item.deferral != nil
        return message
    }

    private func run(_ command: MaintenancePlanCommand, _ context: ServerContext, _ options: CommandOptions) async throws -> Sma_V1_CommandResult {
        let outcome = try await executor.execute(command, on: command.streamName, caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
