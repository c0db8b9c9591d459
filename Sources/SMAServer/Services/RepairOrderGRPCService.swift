import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.RepairOrderService`: translates requests into ``RepairOrderCommand``s and loads the
/// dealership and vehicle states their decisions read.
///
/// The executors of dealerships and vehicles are the ones their own services use, so every
/// cached state stays coherent with the appends made through them.
struct RepairOrderGRPCService: Sma_V1_RepairOrderServiceService {
    let executor: CommandExecutor<RepairOrderAggregate>
    let dealerships: CommandExecutor<DealershipAggregate>
    let vehicles: CommandExecutor<VehicleAggregate>

    /// Appended to the client's command id for the number allocation, which is a separate
    /// append (on the dealership stream) with its own idempotency key.
    static let allocationSuffix = "/allocate-number"

    /// Which other aggregates a decision reads.
    private struct Needs: OptionSet {
        let rawValue: Int
        static let dealership = Needs(rawValue: 1)
        static let vehicle = Needs(rawValue: 2)
    }

    /// Allocates a number on the dealership stream (request id = command id), then opens the
    /// order on `ro-<dealership>-<number>`, as ``RepairOrderState/decide(_:_:_:references:)``
    /// documents. A retry allocates nothing new and returns the original outcome.
    func openRepairOrder(request: Sma_V1_OpenRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_OpenRepairOrderResponse {
        let options = try CommandRequest.options(request.options)
        let caller = try context.caller()
        let (vin, odometerIn) = try CommandRequest.domain { () throws(DomainError) in
            (try VIN(request.vin), try ValueMapping.distance(request.odometerIn, field: "odometer_in"))
        }
        let allocate = DealershipCommand.allocateRepairOrderNumber(dealershipId: request.dealershipId, requestId: options.commandId)
        let allocation = CommandOptions(commandId: options.commandId + Self.allocationSuffix, correlationId: options.correlationId)
        _ = try await dealerships.execute(allocate, on: allocate.streamName, caller: caller, options: allocation)
        let (_, dealership) = try await dealerships.load(allocate.streamName)
        guard let number = dealership?.allocatedNumbers[options.commandId] else {
            throw RPCError(code: .internal, message: "dealership '\(request.dealershipId)' allocated no repair-order number for command \(options.commandId)")
        }
        let (_, vehicle) = try await vehicles.load(StreamName.vehicle(vin))
        let command = RepairOrderCommand(dealershipId: request.dealershipId, number: number, action: .open(
            vin: vin, customerId: request.customerId, advisorId: request.advisorId, odometerIn: odometerIn, concerns: request.concerns))
        let outcome = try await executor.execute(RepairOrderRequest(command, references: .init(dealership: dealership, vehicle: vehicle)),
                                                 on: command.streamName, caller: caller, options: options)
        var response = Sma_V1_OpenRepairOrderResponse()
        response.result = CommandRequest.result(outcome)
        response.number = number
        return response
    }

    func addJob(request: Sma_V1_AddJobRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .addJob(jobId: request.jobId, opCode: request.opCode, description: request.description),
                      needs: .dealership, request.options, context)
    }

    func addLaborLine(request: Sma_V1_AddLaborLineRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let hours = try CommandRequest.domain { () throws(DomainError) in
            try request.hoursMilli.map { (value) throws(DomainError) in try Quantity(thousandths: value, field: "hours_milli") }
        }
        return try await run(request.dealershipId, request.number,
                             .addLaborLine(lineId: request.lineId, jobId: request.jobId, description: request.description, hours: hours),
                             needs: .dealership, request.options, context)
    }

    func addPartsLine(request: Sma_V1_AddPartsLineRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let action = try CommandRequest.domain { () throws(DomainError) in
            RepairOrderAction.addPartsLine(lineId: request.lineId, jobId: request.jobId, partNumber: request.partNumber,
                                           description: request.description,
                                           quantity: try Quantity(thousandths: request.quantityMilli, field: "quantity_milli"),
                                           unitPrice: try ValueMapping.money(request.unitPrice, field: "unit_price"))
        }
        return try await run(request.dealershipId, request.number, action, request.options, context)
    }

    func removeLine(request: Sma_V1_RemoveLineRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .removeLine(lineId: request.lineId), request.options, context)
    }

    func assignTechnician(request: Sma_V1_AssignTechnicianRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .assignTechnician(jobId: request.jobId, technicianId: request.technicianId),
                      needs: .dealership, request.options, context)
    }

    func approveJob(request: Sma_V1_ApproveJobRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .approveJob(jobId: request.jobId), request.options, context)
    }

    func declineJob(request: Sma_V1_DeclineJobRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .declineJob(jobId: request.jobId, reason: request.reason), request.options, context)
    }

    func startWork(request: Sma_V1_StartWorkRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .startWork(jobId: request.jobId), request.options, context)
    }

    func recordFinding(request: Sma_V1_RecordFindingRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .recordFinding(jobId: request.jobId, finding: request.finding), request.options, context)
    }

    func completeJob(request: Sma_V1_CompleteJobRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .completeJob(jobId: request.jobId), request.options, context)
    }

    func completeRepairOrder(request: Sma_V1_CompleteRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let odometerOut = try CommandRequest.domain { () throws(DomainError) in try ValueMapping.distance(request.odometerOut, field: "odometer_out") }
        return try await run(request.dealershipId, request.number, .complete(odometerOut: odometerOut), needs: .vehicle, request.options, context)
    }

    func closeRepairOrder(request: Sma_V1_CloseRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .close, request.options, context)
    }

    func cancelRepairOrder(request: Sma_V1_CancelRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .cancel(reason: request.reason), request.options, context)
    }

    func reopenRepairOrder(request: Sma_V1_ReopenRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(request.dealershipId, request.number, .reopen(reason: request.reason), request.options, context)
    }

    func getRepairOrder(request: Sma_V1_GetRepairOrderRequest, context: ServerContext) async throws -> Sma_V1_RepairOrder {
        let caller = try context.caller()
        let displayId = "\(request.dealershipId)-\(request.number)"
        guard caller.dealershipScope.contains(request.dealershipId) else {
            throw CommandError.domain(.permissionDenied(reason: "caller '\(caller.subject)' may not read dealership '\(request.dealershipId)'; use a credential scoped to that dealership"))
        }
        let stream = StreamName.repairOrder(dealershipId: request.dealershipId, number: request.number)
        let (version, loaded) = try await executor.load(stream)
        guard let state = loaded else { throw CommandError.domain(.notFound(entity: "repair order", id: displayId)) }
        return RepairOrderMapping.repairOrder(state, stream: stream, version: version)
    }

    /// Loads what the action needs, then decides and appends it on the order's stream.
    private func run(_ dealershipId: String, _ number: Int64, _ action: RepairOrderAction, needs: Needs = [],
                     _ optionsMessage: Sma_V1_CommandOptions?, _ context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(optionsMessage)
        let command = RepairOrderCommand(dealershipId: dealershipId, number: number, action: action)
        var references = RepairOrderReferences()
        if needs.contains(.dealership) {
            references.dealership = try await dealerships.load(StreamName.dealership(dealershipId)).1
        }
        if needs.contains(.vehicle), let order = try await executor.load(command.streamName).1, let vin = try? VIN(order.vin) {
            references.vehicle = try await vehicles.load(StreamName.vehicle(vin)).1
        }
        let outcome = try await executor.execute(RepairOrderRequest(command, references: references), on: command.streamName,
                                                 caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
