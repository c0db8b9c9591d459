import SMAApplication
import SMADomain
import SMAEventStore
import Testing

@Suite("CommandExecutor: the state cache under interleaved commands")
struct CommandExecutorCacheTests {
    let store = PausingEventStore()
    let vehicles: CommandExecutor<VehicleAggregate>
    let stream = StreamName.vehicle(Fixture.vin)

    init() {
        vehicles = CommandExecutor(store: store, clock: Fixture.clock)
    }

    private func record(_ reading: Distance, expectedVersion: UInt64? = nil) async throws(CommandError) -> CommandOutcome {
        try await vehicles.execute(.recordOdometer(vin: Fixture.vin, reading: reading), on: stream, caller: Fixture.admin,
                                   options: Fixture.options(expectedVersion: expectedVersion))
    }

    @Test("an append that returns after a newer one does not leave the older version in the cache")
    func slowAppendDoesNotRegressTheCache() async throws {
        let register = VehicleCommand.register(vin: Fixture.vin, dealershipId: Fixture.dealershipId, make: "Honda", model: "Accord",
                                               year: 2003, ownerCustomerId: "c-1", odometer: .km(1_000))
        _ = try await vehicles.execute(register, on: stream, caller: Fixture.admin, options: Fixture.options())

        // Command A is written at version 2 but held before it returns; command B then loses its
        // first attempt (stale cache), reloads, and is written at version 3; then A returns.
        store.pauseNextAppend()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await record(.km(2_000)) }
            #expect(await eventually { store.isPaused })
            let b = try await record(.km(3_000))
            #expect(b.streamVersion == 3)
            store.resume()
            try await group.waitForAll()
        }
        #expect(await store.streamVersion(StreamID(stream)) == 3)

        // A's late cache update must not replace B's newer entry: the cache keeps the highest
        // version, so a client that read version 3 can write at version 3.
        let (version, state) = try await vehicles.load(stream)
        #expect(version == 3)
        #expect(state?.lastReading?.distance == .km(3_000))
        let outcome = try await record(.km(4_000), expectedVersion: 3)
        #expect(outcome.streamVersion == 4)
    }

    @Test("a command id appended first by a concurrent execution leaves the cache as the log says")
    func duplicateDecisionIsNotCached() async throws {
        let register = VehicleCommand.register(vin: Fixture.vin, dealershipId: Fixture.dealershipId, make: "Honda", model: "Accord",
                                               year: 2003, ownerCustomerId: "c-1", odometer: .km(1_000))
        _ = try await vehicles.execute(register, on: stream, caller: Fixture.admin, options: Fixture.options())
        // A second executor (another replica's cache, or the same command racing) holds version 1.
        let other = CommandExecutor<VehicleAggregate>(store: store, clock: Fixture.clock)
        #expect(try await other.load(stream).0 == 1)

        let options = Fixture.options("cmd-race")
        let first = try await vehicles.execute(.recordOdometer(vin: Fixture.vin, reading: .km(2_000)), on: stream,
                                               caller: Fixture.admin, options: options)
        #expect(first.streamVersion == 2)
        // The other execution missed the command id (it looked before the first was written),
        // decides on version 1 with different content, and the store answers with the original.
        store.hideCommandResults()
        let second = try await other.execute(.recordOdometer(vin: Fixture.vin, reading: .km(5_000)), on: stream,
                                             caller: Fixture.admin, options: options)
        #expect(second == first)
        let (version, state) = try await other.load(stream)
        #expect(version == 2)
        #expect(state?.lastReading?.distance == .km(2_000))
    }
}
