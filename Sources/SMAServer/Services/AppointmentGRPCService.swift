import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.AppointmentService`: translates requests into ``AppointmentCommand``s for the executor.
/// Every method is a command on the executor's callback path (``RPCRouter/registerCommand``).
struct AppointmentGRPCService: Sma_V1_AppointmentServiceService {
    typealias Method = Sma_V1_AppointmentService.Method
    let executor: CommandExecutor<AppointmentAggregate>

    func registerMethods(with router: inout RPCRouter) {
        router.registerCommand(Method.bookAppointment, executor: executor, stream: \.streamName, prepare: Self.bookAppointment)
        router.registerCommand(Method.rescheduleAppointment, executor: executor, stream: \.streamName, prepare: Self.rescheduleAppointment)
        router.registerCommand(Method.checkInAppointment, executor: executor, stream: \.streamName, prepare: Self.checkInAppointment)
        router.registerCommand(Method.cancelAppointment, executor: executor, stream: \.streamName, prepare: Self.cancelAppointment)
        router.registerCommand(Method.markNoShow, executor: executor, stream: \.streamName, prepare: Self.markNoShow)
    }

    static func bookAppointment(_ request: Sma_V1_BookAppointmentRequest) throws(CommandError) -> PreparedCommand<AppointmentCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            AppointmentCommand.book(appointmentId: request.appointmentId, dealershipId: request.dealershipId, customerId: request.customerId,
                                    vin: try VIN(request.vin), start: try Self.start(request.start), durationMinutes: request.durationMinutes,
                                    concerns: request.concerns)
        }
        return (command, options)
    }

    static func rescheduleAppointment(_ request: Sma_V1_RescheduleAppointmentRequest) throws(CommandError) -> PreparedCommand<AppointmentCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            AppointmentCommand.reschedule(appointmentId: request.appointmentId, start: try Self.start(request.start),
                                          durationMinutes: request.durationMinutes)
        }
        return (command, options)
    }

    static func checkInAppointment(_ request: Sma_V1_CheckInAppointmentRequest) throws(CommandError) -> PreparedCommand<AppointmentCommand> {
        (.checkIn(appointmentId: request.appointmentId), try CommandRequest.options(request.options))
    }

    static func cancelAppointment(_ request: Sma_V1_CancelAppointmentRequest) throws(CommandError) -> PreparedCommand<AppointmentCommand> {
        (.cancel(appointmentId: request.appointmentId, reason: request.reason), try CommandRequest.options(request.options))
    }

    static func markNoShow(_ request: Sma_V1_MarkNoShowRequest) throws(CommandError) -> PreparedCommand<AppointmentCommand> {
        (.markNoShow(appointmentId: request.appointmentId), try CommandRequest.options(request.options))
    }

    /// The visit's start; required (an unset start would silently mean 1970).
    private static func start(_ message: Google_Protobuf_Timestamp?) throws(DomainError) -> Timestamp {
        guard let message else { throw .invalidArgument(field: "start", reason: "is required: the time the visit starts") }
        return try ValueMapping.timestamp(message, field: "start")
    }

    // The generated protocol's async form of each method (used by callers of the protocol itself).

    func bookAppointment(request: Sma_V1_BookAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.bookAppointment(request), context)
    }

    func rescheduleAppointment(request: Sma_V1_RescheduleAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.rescheduleAppointment(request), context)
    }

    func checkInAppointment(request: Sma_V1_CheckInAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.checkInAppointment(request), context)
    }

    func cancelAppointment(request: Sma_V1_CancelAppointmentRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.cancelAppointment(request), context)
    }

    func markNoShow(request: Sma_V1_MarkNoShowRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.markNoShow(request), context)
    }

    private func run(_ prepared: PreparedCommand<AppointmentCommand>, _ context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await executor.run(prepared, on: prepared.command.streamName, context: context)
    }
}
