import Foundation
import SMAEventStore

/// The crash-test child: appends from many concurrent writers until killed, writing one line per
/// acknowledged append to the ack file, only after `append` returned:
/// `ack <stream> <first> <last> <nextVersion> <commandID|-> <eventID>,<eventID>…`.
struct CrashChild {
    let directory: String
    let ackPath: String
    let writers: Int

    func run() async throws {
        Self.exitWhenOrphaned()
        let options = FileEventStore.Options(segmentSize: 256 << 10, checkpointInterval: 512 << 10)
        let store = try FileEventStore.open(directory: directory, options: options)
        let ackFile = open(ackPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard ackFile >= 0 else { fatalError("cannot open \(ackPath)") }
        let prefix = "c\(getpid())"
        writeLine(ackFile, "ready\n")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let stream = StreamID("\(prefix)-w\(writer)")
                    var version: UInt64 = 0
                    var round = 0
                    while true {
                        round += 1
                        let count = Int.random(in: 1...4)
                        let commandID: String? = round % 3 == 0 ? "\(stream)-cmd\(round)" : nil
                        let events = (0..<count).map { i in
                            EventData(eventType: "CrashTested", metadata: EventMetadata(commandID: commandID),
                                      payload: Array(repeating: UInt8(truncatingIfNeeded: round &+ i), count: Int.random(in: 10...300)))
                        }
                        let result = try await store.append(to: stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: events)
                        version = result.nextExpectedVersion
                        let ids = events.map(\.eventID.uuidString).joined(separator: ",")
                        writeLine(ackFile, "ack \(stream) \(result.firstPosition) \(result.lastPosition) \(result.nextExpectedVersion) \(commandID ?? "-") \(ids)\n")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The test that started this child kills it; if that test process dies first (a crash in
    /// another test), the child would append forever and `swift test` would wait on its output
    /// pipe. So it exits once it has been re-parented.
    private static func exitWhenOrphaned() {
        let parent = getppid()
        let watchdog = Thread {
            while getppid() == parent { usleep(100_000) }
            _exit(3)
        }
        watchdog.name = "orphan-watchdog"
        watchdog.start()
    }

    /// One `write` per line, so a kill never leaves half an acknowledgement that looks whole.
    private func writeLine(_ fd: Int32, _ line: String) {
        var line = line
        line.withUTF8 { bytes in _ = write(fd, bytes.baseAddress, bytes.count) }
    }
}
