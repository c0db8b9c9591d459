import Foundation
import SMAEventStore
import Testing

@Suite("stopped(): waiting for the store to stop, and why", .timeLimit(.minutes(1)))
struct StoppedTests {
    @Test("a waiter started while open returns .closed once close() has finished the queued appends")
    func waiterSeesClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(2))
        let waiter = Task { await store.stopped() }
        try await Task.sleep(for: .milliseconds(20))
        await store.close()
        guard case .closed = await waiter.value else {
            Issue.record("expected .closed, got \(await waiter.value)")
            return
        }
    }

    @Test("after close(), stopped() returns at once, and appends fail with the same reason")
    func afterClose() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try FileEventStore.open(directory: directory.path)
        await store.close()
        guard case .closed = await store.stopped() else {
            Issue.record("expected .closed")
            return
        }
        await #expect(throws: EventStoreError.self) {
            _ = try await store.append(to: "s", expectedVersion: .any, events: Fixtures.events(1))
        }
    }
}
