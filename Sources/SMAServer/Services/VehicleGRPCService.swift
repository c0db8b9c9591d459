import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.VehicleService`: translates requests into ``VehicleCommand``s for the executor.
struct VehicleGRPCService: Sma_V1_VehicleServiceService {
    let executor: CommandExecutor<VehicleAggregate>

    func registerVehicle(request: Sma_V1_RegisterVehicleRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            let odometer = try request.odometer.map { (d) throws(DomainError) in try ValueMapping.distance(d, field: "odometer") }
            return VehicleCommand.register(vin: try VIN(request.vin), dealershipId: request.dealershipId, make: request.make,
                                           model: request.model, year: Int64(request.year), ownerCustomerId: request.ownerCustomerId,
                                           odometer: odometer)
        }
        return try await run(command, context, options)
    }

    func recordOdometer(request: Sma_V1_RecordOdometerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.recordOdometer(vin: try VIN(request.vin), reading: try ValueMapping.distance(request.reading, field: "reading"))
        }
        return try await run(command, context, options)
    }

    func correctOdometer(request: Sma_V1_CorrectOdometerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.correctOdometer(vin: try VIN(request.vin), reading: try ValueMapping.distance(request.reading, field: "reading"),
                                           reason: request.reason)
        }
        return try await run(command, context, options)
    }

    func transferOwnership(request: Sma_V1_TransferOwnershipRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.transferOwnership(vin: try VIN(request.vin), newOwnerCustomerId: request.newOwnerCustomerId)
        }
        return try await run(command, context, options)
    }

    func retireVehicle(request: Sma_V1_RetireVehicleRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            VehicleCommand.retire(vin: try VIN(request.vin), reason: request.reason)
        }
        return try await run(command, context, options)
    }

    private func run(_ command: VehicleCommand, _ context: ServerContext, _ options: CommandOptions) async throws -> Sma_V1_CommandResult {
        let outcome = try await executor.execute(command, on: command.streamName, caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
