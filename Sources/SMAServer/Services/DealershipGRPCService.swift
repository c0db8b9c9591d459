import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.DealershipService`: translates requests into ``DealershipCommand``s.
/// Every method is a command on the executor's callback path (``RPCRouter/registerCommand``).
struct DealershipGRPCService: Sma_V1_DealershipServiceService {
    typealias Method = Sma_V1_DealershipService.Method
    let executor: CommandExecutor<DealershipAggregate>

    func registerMethods(with router: inout RPCRouter) {
        router.registerCommand(Method.registerDealership, executor: executor, stream: \.streamName, prepare: Self.registerDealership)
        router.registerCommand(Method.addTechnician, executor: executor, stream: \.streamName, prepare: Self.addTechnician)
        router.registerCommand(Method.removeTechnician, executor: executor, stream: \.streamName, prepare: Self.removeTechnician)
        router.registerCommand(Method.defineOpCode, executor: executor, stream: \.streamName, prepare: Self.defineOpCode)
        router.registerCommand(Method.setLaborRate, executor: executor, stream: \.streamName, prepare: Self.setLaborRate)
    }

    static func registerDealership(_ request: Sma_V1_RegisterDealershipRequest) throws(CommandError) -> PreparedCommand<DealershipCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.register(dealershipId: request.dealershipId, name: request.name,
                                       currency: try Currency(request.currency))
        }
        return (command, options)
    }

    static func addTechnician(_ request: Sma_V1_AddTechnicianRequest) throws(CommandError) -> PreparedCommand<DealershipCommand> {
        let options = try CommandRequest.options(request.options)
        return (.addTechnician(dealershipId: request.dealershipId, technicianId: request.technicianId, name: request.name), options)
    }

    static func removeTechnician(_ request: Sma_V1_RemoveTechnicianRequest) throws(CommandError) -> PreparedCommand<DealershipCommand> {
        let options = try CommandRequest.options(request.options)
        return (.removeTechnician(dealershipId: request.dealershipId, technicianId: request.technicianId), options)
    }

    static func defineOpCode(_ request: Sma_V1_DefineOpCodeRequest) throws(CommandError) -> PreparedCommand<DealershipCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.defineOpCode(dealershipId: request.dealershipId, opCode: request.opCode, description: request.description,
                                           standardHours: try Quantity(thousandths: request.standardHoursMilli, field: "standard_hours_milli"))
        }
        return (command, options)
    }

    static func setLaborRate(_ request: Sma_V1_SetLaborRateRequest) throws(CommandError) -> PreparedCommand<DealershipCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            DealershipCommand.setLaborRate(dealershipId: request.dealershipId,
                                           ratePerHour: try ValueMapping.money(request.ratePerHour, field: "rate_per_hour"))
        }
        return (command, options)
    }

    // The generated protocol's async form of each method (used by callers of the protocol itself).

    func registerDealership(request: Sma_V1_RegisterDealershipRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.registerDealership(request), context)
    }

    func addTechnician(request: Sma_V1_AddTechnicianRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.addTechnician(request), context)
    }

    func removeTechnician(request: Sma_V1_RemoveTechnicianRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.removeTechnician(request), context)
    }

    func defineOpCode(request: Sma_V1_DefineOpCodeRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.defineOpCode(request), context)
    }

    func setLaborRate(request: Sma_V1_SetLaborRateRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.setLaborRate(request), context)
    }

    private func run(_ prepared: PreparedCommand<DealershipCommand>, _ context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await executor.run(prepared, on: prepared.command.streamName, context: context)
    }
}
