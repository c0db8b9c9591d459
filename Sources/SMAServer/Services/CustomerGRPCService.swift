import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.CustomerService`: translates requests into ``CustomerCommand``s for the executor.
struct CustomerGRPCService: Sma_V1_CustomerServiceService {
    let executor: CommandExecutor<CustomerAggregate>

    func registerCustomer(request: Sma_V1_RegisterCustomerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            CustomerCommand.register(customerId: request.customerId, dealershipId: request.dealershipId, name: request.name,
                                     contact: try ValueMapping.contact(request.contact, field: "contact"))
        }
        return try await run(command, context, options)
    }

    func updateCustomerContact(request: Sma_V1_UpdateCustomerContactRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            CustomerCommand.updateContact(customerId: request.customerId, contact: try ValueMapping.contact(request.contact, field: "contact"))
        }
        return try await run(command, context, options)
    }

    private func run(_ command: CustomerCommand, _ context: ServerContext, _ options: CommandOptions) async throws -> Sma_V1_CommandResult {
        let outcome = try await executor.execute(command, on: command.streamName, caller: try context.caller(), options: options)
        return CommandRequest.result(outcome)
    }
}
