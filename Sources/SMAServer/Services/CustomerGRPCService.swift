import SMAApplication
import SMADomain
import SMAProtos
import SMARPC

/// `sma.v1.CustomerService`: translates requests into ``CustomerCommand``s for the executor.
/// Every method is a command on the executor's callback path (``RPCRouter/registerCommand``).
struct CustomerGRPCService: Sma_V1_CustomerServiceService {
    typealias Method = Sma_V1_CustomerService.Method
    let executor: CommandExecutor<CustomerAggregate>

    func registerMethods(with router: inout RPCRouter) {
        router.registerCommand(Method.registerCustomer, executor: executor, stream: \.streamName, prepare: Self.registerCustomer)
        router.registerCommand(Method.updateCustomerContact, executor: executor, stream: \.streamName, prepare: Self.updateCustomerContact)
    }

    static func registerCustomer(_ request: Sma_V1_RegisterCustomerRequest) throws(CommandError) -> PreparedCommand<CustomerCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            CustomerCommand.register(customerId: request.customerId, dealershipId: request.dealershipId, name: request.name,
                                     contact: try ValueMapping.contact(request.contact, field: "contact"))
        }
        return (command, options)
    }

    static func updateCustomerContact(_ request: Sma_V1_UpdateCustomerContactRequest) throws(CommandError) -> PreparedCommand<CustomerCommand> {
        let options = try CommandRequest.options(request.options)
        let command = try CommandRequest.domain { () throws(DomainError) in
            CustomerCommand.updateContact(customerId: request.customerId, contact: try ValueMapping.contact(request.contact, field: "contact"))
        }
        return (command, options)
    }

    // The generated protocol's async form of each method (used by callers of the protocol itself).

    func registerCustomer(request: Sma_V1_RegisterCustomerRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.registerCustomer(request), context)
    }

    func updateCustomerContact(request: Sma_V1_UpdateCustomerContactRequest, context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await run(Self.updateCustomerContact(request), context)
    }

    private func run(_ prepared: PreparedCommand<CustomerCommand>, _ context: ServerContext) async throws -> Sma_V1_CommandResult {
        try await executor.run(prepared, on: prepared.command.streamName, context: context)
    }
}
