import Foundation
import SMAEventStore
import Testing

/// Kills a child process appending under concurrency with SIGKILL at random moments, then checks
/// that every acknowledged append survived. `SMA_CRASH_TRIALS` sets the number of trials (default 20).
@Suite("Crash: SIGKILL during concurrent appends loses no acknowledged append", .serialized)
struct CrashTests {
    struct Ack {
        let stream: StreamID
        let first: UInt64
        let last: UInt64
        let nextVersion: UInt64
        let commandID: String?
        let eventIDs: [UUID]
    }

    static var trials: Int { Int(ProcessInfo.processInfo.environment["SMA_CRASH_TRIALS"] ?? "") ?? 20 }

    @Test("every acknowledged append is present after SIGKILL, positions are dense, the store accepts appends")
    func sigkillTrials() async throws {
        let binary = try #require(BenchBinary.locate(), "sma-eventstore-bench not found: build it (swift build --product sma-eventstore-bench) or set SMA_EVENTSTORE_BENCH")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.path + "/store"
        var generator = SystemRandomNumberGenerator()
        var totalAcks = 0
        for trial in 0..<Self.trials {
            let ackPath = directory.path + "/acks-\(trial).txt"
            let child = Process()
            child.executableURL = URL(fileURLWithPath: binary)
            child.arguments = ["crash-child", store, ackPath, String(Int.random(in: 1...32, using: &generator))]
            try child.run()
            // Wait until the child has opened the store, then let it append for a random while.
            let started = ContinuousClock.now
            while !(FileManager.default.contents(atPath: ackPath).map { $0.starts(with: Array("ready".utf8)) } ?? false) {
                try #require(child.isRunning, "crash child exited early (status \(child.terminationStatus))")
                try #require(ContinuousClock.now - started < .seconds(30), "crash child did not start")
                try await Task.sleep(for: .milliseconds(2))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...250, using: &generator)))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            let acks = try Self.acknowledgements(ackPath)
            totalAcks += acks.count
            try await Self.verify(store: store, acks: acks, trial: trial)
        }
        #expect(totalAcks > 0, "no append was acknowledged in any trial")
        print("crash trials: \(Self.trials), acknowledged appends checked: \(totalAcks)")
    }

    /// The complete acknowledgement lines (a line cut by the kill does not count).
    static func acknowledgements(_ path: String) throws -> [Ack] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1).compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 7, fields[0] == "ack" else { return nil }
            return Ack(stream: StreamID(String(fields[1])), first: UInt64(fields[2])!, last: UInt64(fields[3])!,
                       nextVersion: UInt64(fields[4])!, commandID: fields[5] == "-" ? nil : String(fields[5]),
                       eventIDs: fields[6].split(separator: ",").map { UUID(uuidString: String($0))! })
        }
    }

    static func verify(store path: String, acks: [Ack], trial: Int) async throws {
        let store = try FileEventStore.open(directory: path, options: FileEventStore.Options(segmentSize: 256 << 10, checkpointInterval: 512 << 10))
        let log = try await Fixtures.readAll(store)
        #expect(log.map(\.position.value) == Array(1...UInt64(max(log.count, 1))).prefix(log.count).map { $0 }, "positions are not dense in trial \(trial)")
        let head = await store.headPosition
        #expect(head.value == UInt64(log.count))
        for ack in acks {
            guard ack.last <= UInt64(log.count) else {
                Issue.record("trial \(trial): acknowledged append \(ack.first)…\(ack.last) is missing (head \(head))")
                continue
            }
            let stored = log[Int(ack.first - 1)...Int(ack.last - 1)]
            #expect(stored.map(\.eventID) == ack.eventIDs, "trial \(trial): events at \(ack.first)…\(ack.last) differ")
            #expect(stored.allSatisfy { $0.streamID == ack.stream })
            #expect(stored.last?.streamVersion == ack.nextVersion)
        }
        // Every stream's versions are dense.
        var versions: [StreamID: UInt64] = [:]
        for event in log {
            let expected = (versions[event.streamID] ?? 0) + 1
            #expect(event.streamVersion == expected, "trial \(trial): stream \(event.streamID) version gap at position \(event.position)")
            versions[event.streamID] = event.streamVersion
        }
        // Retrying an acknowledged append after the restart is idempotent.
        if let ack = acks.randomElement() {
            let retry = try await store.append(to: ack.stream, expectedVersion: .noStream,
                                               events: ack.eventIDs.map { Fixtures.event("CrashTested", commandID: ack.commandID, id: $0) })
            #expect(retry.deduplicated)
            #expect(retry.written == AppendResult(firstPosition: LogPosition(ack.first), lastPosition: LogPosition(ack.last), nextExpectedVersion: ack.nextVersion))
        }
        let next = try await store.append(to: StreamID("after-crash-\(trial)"), expectedVersion: .noStream, events: Fixtures.events(1))
        #expect(next.firstPosition.value == UInt64(log.count) + 1)
        await store.close()
    }
}
