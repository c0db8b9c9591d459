import Foundation
import SMAServer

SignalWaiter.installHandlers()

/// `sma-server`: SMA's gRPC server. See `sma-server --help`.
let code = await ServerApp.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(code)
