import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// Shared plumbing of the command services: options in, result out, errors as statuses.
enum CommandRequest {
    /// The client's command options; `options.command_id` is required.
    static func options(_ message: Sma_V1_CommandOptions?) throws(CommandError) -> CommandOptions {
        guard let message, !message.commandId.isEmpty else {
            throw .invalidRequest(field: "options.command_id", reason: "is required: a unique id per command (e.g. a UUID) makes retries safe")
        }
        guard message.commandId.utf8.count <= 128 else {
            throw .invalidRequest(field: "options.command_id", reason: "is longer than 128 bytes")
        }
        return CommandOptions(commandId: message.commandId, expectedVersion: message.expectedVersion, correlationId: message.correlationId)
    }

    static func result(_ outcome: CommandOutcome) -> Sma_V1_CommandResult {
        var result = Sma_V1_CommandResult()
        result.streamId = outcome.streamId
        result.streamVersion = outcome.streamVersion
        result.logPosition = outcome.logPosition
        result.eventCount = UInt32(clamping: outcome.eventCount)
        return result
    }

    /// Builds a domain value, turning its refusal into a command error.
    static func domain<T>(_ build: () throws(DomainError) -> T) throws(CommandError) -> T {
        do { return try build() } catch { throw .domain(error) }
    }
}
