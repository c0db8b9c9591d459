import Foundation
import Glibc

/// SIGTERM and SIGINT, without a window in which they are lost.
///
/// ``blockTerminationSignals()`` runs first in `main`, before any thread exists, so every
/// thread inherits the block and the signals stay pending until a dedicated thread takes them
/// with `sigwait` — even one sent the instant the server prints its listening line.
public enum SignalWaiter {
    /// Blocks SIGTERM and SIGINT for this thread and every thread created after it.
    public static func blockTerminationSignals() {
        var set = terminationSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the first SIGTERM or SIGINT and returns its name.
    public static func waitForTermination() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let thread = Thread {
                var set = terminationSet()
                var signal: Int32 = 0
                while sigwait(&set, &signal) != 0 {}
                continuation.resume(returning: signal == SIGINT ? "SIGINT" : "SIGTERM")
            }
            thread.name = "sma-signals"
            thread.start()
        }
    }

    private static func terminationSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }
}
