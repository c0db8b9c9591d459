import Foundation
import SMAHTTP2
import SMARPC
import SMAServer

SignalWaiter.installHandlers()

/// `sma-interop-server --port N`: gRPC's interop TestService on SMA's RPC core and transport,
/// for gRPC's own interop clients. Not part of `sma-server`.
var port = 10000
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    var value: String?
    if let eq = flag.firstIndex(of: "=") {
        value = String(flag[flag.index(after: eq)...])
    } else if !arguments.isEmpty {
        value = arguments.removeFirst()
    }
    switch flag.split(separator: "=").first.map(String.init) {
    case "--port":
        guard let value, let parsed = Int(value), (0...65535).contains(parsed) else {
            FileHandle.standardError.write(Data("sma-interop-server: --port needs a number in 0...65535\n".utf8))
            exit(2)
        }
        port = parsed
    default:
        FileHandle.standardError.write(Data("usage: sma-interop-server --port N\n".utf8))
        exit(2)
    }
}

var router = RPCRouter()
router.register(TestService())
let log = StructuredLog()
var configuration = HTTP2ServerConfiguration()
configuration.port = port
configuration.host = "127.0.0.1"
let server = HTTP2Server(configuration: configuration, rpc: RPCServer(router: router, filters: [LoggingInterceptor(log: log)]), log: log)
do {
    let bound = try server.start()
    FileHandle.standardOutput.write(Data("sma-interop-server listening on 127.0.0.1:\(bound)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("sma-interop-server: \(error)\n".utf8))
    exit(1)
}
_ = await SignalWaiter.waitForTermination()
await server.shutdown()
exit(0)
