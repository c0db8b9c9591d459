import Dispatch
import Glibc

/// Turns SIGTERM and SIGINT into an `AsyncStream` (swift-service-lifecycle style).
public enum SignalWaiter {
    /// Waits for the first SIGTERM or SIGINT and returns its name.
    public static func waitForTermination() async -> String {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let queue = DispatchQueue(label: "sma.signals")
        var sources: [any DispatchSourceSignal] = []
        for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            Glibc.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        var iterator = stream.makeAsyncIterator()
        let name = await iterator.next() ?? "unknown"
        for source in sources { source.cancel() }
        return name
    }
}
