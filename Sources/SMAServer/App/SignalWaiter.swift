import Foundation
import Glibc

/// Written once by ``SignalWaiter/installHandlers()`` before any handler can run; read by the
/// async-signal-safe handler.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
nonisolated(unsafe) private var signalPipeReadEnd: Int32 = -1

/// SIGTERM and SIGINT without a window in which they are lost: a handler installed on the
/// first line of `main` writes the signal number to a pipe (the self-pipe trick; `write` is
/// async-signal-safe), and ``waitForTermination()`` reads it on a thread of its own. A signal
/// sent the instant the server prints its listening line is therefore never missed.
public enum SignalWaiter {
    /// Installs the handlers; call first in `main`.
    public static func installHandlers() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        signalPipeReadEnd = fds[0]
        signalPipeWriteEnd = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(signalPipeWriteEnd, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
    }

    /// Waits for the first SIGTERM or SIGINT and returns its name.
    public static func waitForTermination() async -> String {
        if signalPipeReadEnd < 0 { installHandlers() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let thread = Thread {
                var byte: UInt8 = 0
                while true {
                    let count = read(signalPipeReadEnd, &byte, 1)
                    if count == 1 || (count < 0 && errno != EINTR) { break }
                }
                continuation.resume(returning: Int32(byte) == SIGINT ? "SIGINT" : "SIGTERM")
            }
            thread.name = "sma-signals"
            thread.start()
        }
    }
}
