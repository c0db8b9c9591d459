import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.AppointmentService`: translates requests into ``AppointmentCommand``s for the executor.
struct AppointmentGRPCService: Sma_V1_AppointmentServiceService {
    let executor: CommandExecutor<AppointmentAggregate>

    func bookAppointment(request: Sma_V1_BookAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            AppointmentCommand.book(appointmentId: request.appointmentId, dealershipId: request.dealershipId, customerId: request.customerId,
                                    vin: try VIN(request.vin), start: try Self.start(request.start), durationMinutes: request.durationMinutes,
                                    concerns: request.concerns)
        }
        return try await run(command, context, options)
    }

    func rescheduleAppointment(request: Sma_V1_RescheduleAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            AppointmentCommand.reschedule(appointmentId: request.appointmentId, start: try Self.start(request.start),
                                          durationMinutes: request.durationMinutes)
        }
        return try await run(command, context, options)
    }

    func checkInAppointment(request: Sma_V1_CheckInAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        return try await run(.checkIn(appointmentId: request.appointmentId), context, options)
    }

    func cancelAppointment(request: Sma_V1_CancelAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        return try await run(.cancel(appointmentId: request.appointmentId, reason: request.reason), context, options)
    }

    func markNoShow(request: Sma_V1_MarkNoShowRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        return try await run(.markNoShow(appointmentId: request.appointmentId), context, options)
    }

    /// The visit's start; required (an unset start would silently mean 1970).
    private static func start(_ message: Google_Protobuf_Timestamp?) throws(DomainError) -> Timestamp {
        guard let message else { throw .invalidArgument(field: "start", reason: "is required: the time the visit starts") }
        return try ValueMapping.timestamp(message, field: "start")
    }

    private func run(_ command: AppointmentCommand, _ context: ServerContext, _ options: CommandOptions) async throws -> Sma_V1_CommandResult {
        let outcome = try await executor.execute(command, on: command.streamName, caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
