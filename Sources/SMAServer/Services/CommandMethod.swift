import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// A command request as the executor takes it: the domain command and the client's options.
typealias PreparedCommand<Command> = (command: Command, options: CommandOptions)

extension RPCRouter {
    /// Registers a command RPC on the executor's callback path: with the stream's state in
    /// memory, the command is decided on the event loop as the request arrives and answered once
    /// its events are durable, without a task per call (see
    /// ``CommandExecutor/execute(_:on:caller:options:completion:)``). `prepare` maps the request
    /// (options first, then the command's fields); the caller comes from the context.
    mutating func registerCommand<Request: RPCMessage, A: Aggregate>(
        _ method: MethodDescriptor, executor: CommandExecutor<A>, stream: @escaping @Sendable (A.Command) -> String,
        prepare: @escaping @Sendable (Request) throws(CommandError) -> PreparedCommand<A.Command>
    ) {
        registerDeferredUnary(method) { (request: Request, context: ServerContext, respond: @escaping @Sendable (Result<Sma_V1_CommandResult, any Error>) -> Void) in
            let prepared: PreparedCommand<A.Command>
            let caller: Caller
            do {
                prepared = try prepare(request)
                caller = try context.caller()
            } catch {
                return respond(.failure(error))
            }
            executor.execute(prepared.command, on: stream(prepared.command), caller: caller, options: prepared.options) { result in
                respond(result.map(CommandRequest.result).mapError { $0 })
            }
        }
    }
}

extension CommandExecutor {
    /// Runs a prepared command as async code (the generated service protocols' methods).
    func run(_ prepared: PreparedCommand<A.Command>, on stream: String, context: ServerContext) async throws -> Sma_V1_CommandResult {
        CommandRequest.result(try await execute(prepared.command, on: stream, caller: try context.caller(), options: prepared.options))
    }
}
