import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.DealershipService`: translates requests into ``DealershipCommand``s.
struct DealershipGRPCService: Sma_V1_DealershipServiceService {
    let executor: CommandExecutor<DealershipAggregate>

    func registerDealership(request: Sma_V1_RegisterDealershipRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.register(dealershipId: request.dealershipId, name: request.name,
                                       currency: try Currency(request.currency))
        }
        return try await run(command, context, options)
    }

    func addTechnician(request: Sma_V1_AddTechnicianRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        return try await run(.addTechnician(dealershipId: request.dealershipId, technicianId: request.technicianId, name: request.name),
                             context, options)
    }

    func removeTechnician(request: Sma_V1_RemoveTechnicianRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        return try await run(.removeTechnician(dealershipId: request.dealershipId, technicianId: request.technicianId), context, options)
    }

    func defineOpCode(request: Sma_V1_DefineOpCodeRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.defineOpCode(dealershipId: request.dealershipId, opCode: request.opCode, description: request.description,
                                           standardHours: try Quantity(thousandths: request.standardHoursMilli, field: "standard_hours_milli"))
        }
        return try await run(command, context, options)
    }

    func setLaborRate(request: Sma_V1_SetLaborRateRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.setLaborRate(dealershipId: request.dealershipId,
                                           ratePerHour: try ValueMapping.money(request.ratePerHour, field: "rate_per_hour"))
        }
        return try await run(command, context, options)
    }

    private func run(_ command: DealershipCommand, _ context: ServerContext, _ options: CommandOptions) async throws -> Sma_V1_CommandResult {
        let outcome = try await executor.execute(command, on: command.streamName, caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
