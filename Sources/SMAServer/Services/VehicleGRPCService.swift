import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.VehicleService`: translates requests into ``VehicleCommand``s for the executor.
/// Every method is a command on the executor's callback path (``RPCRouter/registerCommand``).
struct VehicleGRPCService: Sma_V1_VehicleServiceService {
    typealias Method = Sma_V1_VehicleService.Method
    let executor: CommandExecutor<VehicleAggregate>

    func registerMethods(with router: inout RPCRouter) {
        router.registerCommand(Method.registerVehicle, executor: executor, stream: \.streamName, prepare: Self.registerVehicle)
        router.registerCommand(Method.recordOdometer, executor: executor, stream: \.streamName, prepare: Self.recordOdometer)
        router.registerCommand(Method.correctOdometer, executor: executor, stream: \.streamName, prepare: Self.correctOdometer)
        router.registerCommand(Method.transferOwnership, executor: executor, stream: \.streamName, prepare: Self.transferOwnership)
        router.registerCommand(Method.retireVehicle, executor: executor, stream: \.streamName, prepare: Self.retireVehicle)
    }

    static func registerVehicle(_ request: Sma_V1_RegisterVehicleRequest) throws(CommandError) -> PreparedCommand<VehicleCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            let odometer = try request.odometer.map { (d) throws(DomainError) in try ValueMapping.distance(d, field: "odometer") }
            return VehicleCommand.register(vin: try VIN(request.vin), dealershipId: request.dealershipId, make: request.make,
                                           model: request.model, year: Int64(request.year), ownerCustomerId: request.ownerCustomerId,
                                           odometer: odometer)
        }
        return (command, options)
    }

    static func recordOdometer(_ request: Sma_V1_RecordOdometerRequest) throws(CommandError) -> PreparedCommand<VehicleCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.recordOdometer(vin: try VIN(request.vin), reading: try ValueMapping.distance(request.reading, field: "reading"))
        }
        return (command, options)
    }

    static func correctOdometer(_ request: Sma_V1_CorrectOdometerRequest) throws(CommandError) -> PreparedCommand<VehicleCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.correctOdometer(vin: try VIN(request.vin), reading: try ValueMapping.distance(request.reading, field: "reading"),
                                           reason: request.reason)
        }
        return (command, options)
    }

    static func transferOwnership(_ request: Sma_V1_TransferOwnershipRequest) throws(CommandError) -> PreparedCommand<VehicleCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.transferOwnership(vin: try VIN(request.vin), newOwnerCustomerId: request.newOwnerCustomerId)
        }
        return (command, options)
    }

    static func retireVehicle(_ request: Sma_V1_RetireVehicleRequest) throws(CommandError) -> PreparedCommand<VehicleCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.retire(vin: try VIN(request.vin), reason: request.reason)
        }
        return (command, options)
    }

    // The generated protocol's async form of each method (used by callers of the protocol itself).

    func registerVehicle(request: Sma_V1_RegisterVehicleRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.registerVehicle(request), context)
    }

    func recordOdometer(request: Sma_V1_RecordOdometerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.recordOdometer(request), context)
    }

    func correctOdometer(request: Sma_V1_CorrectOdometerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.correctOdometer(request), context)
    }

    func transferOwnership(request: Sma_V1_TransferOwnershipRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.transferOwnership(request), context)
    }

    func retireVehicle(request: Sma_V1_RetireVehicleRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.retireVehicle(request), context)
    }

    private func run(_ prepared: PreparedCommand<VehicleCommand>, _ context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await executor.run(prepared, on: prepared.command.streamName, context: context)
    }
}
