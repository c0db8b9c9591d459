import Testing
@testable import SMADomain

@Suite("Repair-order completion policy")
struct RepairOrderCompletionPolicyTests {
    let vin = Fixture.vin

    func completed(opCodes: [String] = ["OIL"], odometerOut: Distance = .km(12_000)) -> RepairOrderEvent.Completed {
        .init(dealershipId: Fixture.dealershipId, number: 1, vin: vin.value, odometerOut: odometerOut, completedOpCodes: opCodes, total: .zero(.usd), completedBy: "alice", completedAt: Fixture.now)
    }

    func plan(dealershipId: String = Fixture.dealershipId) throws -> MaintenancePlanState {
        var state: MaintenancePlanState?
        for (itemId, opCode) in [("oil", "OIL"), ("cabin", "OIL"), ("brakes", "BRAKE")] {
            let command = MaintenancePlanCommand.defineItem(vin: vin, dealershipId: dealershipId, itemId: itemId, name: itemId, opCode: opCode, interval: try ServiceInterval(distance: .km(10_000), days: nil), schedule: .rolling, dueSoon: .disabled, baselineOdometer: .km(0))
            state = MaintenancePlanState.applying(try MaintenancePlanState.decide(command, state, Fixture.context(Fixture.admin)), to: state)
        }
        return state!
    }

    @Test("records the odometer and services the plan items whose op code matches, with ids derived from the event")
    func issuesCommands() throws {
        let commands = RepairOrderCompletionPolicy.commands(for: completed(), eventId: "evt-42", plan: try plan())
        #expect(commands.map(\.commandId) == ["evt-42/odometer", "evt-42/plan/cabin", "evt-42/plan/oil"])
        #expect(commands.first?.target == .vehicle(.recordOdometer(vin: vin, reading: .km(12_000))))
        #expect(commands.first?.streamName == "vehicle-\(vin.value)")
        #expect(commands.last?.target == .maintenancePlan(.markServiced(vin: vin, itemId: "oil", odometer: .km(12_000), servicedAt: Fixture.now, sourceId: "ro-d1-1")))
        #expect(commands.allSatisfy { $0.caller.dealershipScope == .only([Fixture.dealershipId]) })
    }

    @Test("the same event always yields the same commands")
    func deterministic() throws {
        let plan = try plan()
        #expect(RepairOrderCompletionPolicy.commands(for: completed(), eventId: "e", plan: plan) == RepairOrderCompletionPolicy.commands(for: completed(), eventId: "e", plan: plan))
    }

    @Test("without a plan, or with another dealership's plan, only the odometer is recorded")
    func noPlan() throws {
        #expect(RepairOrderCompletionPolicy.commands(for: completed(), eventId: "e", plan: nil).map(\.commandId) == ["e/odometer"])
        #expect(RepairOrderCompletionPolicy.commands(for: completed(), eventId: "e", plan: try plan(dealershipId: "d2")).count == 1)
    }

    @Test("applying the issued commands twice changes nothing the second time")
    func replayIsHarmless() throws {
        var vehicle: VehicleState? = Fixture.vehicle()
        var plan: MaintenancePlanState? = try plan()
        var appendedPerPass: [Int] = []
        for _ in 0..<2 {
            var appended = 0
            for command in RepairOrderCompletionPolicy.commands(for: completed(), eventId: "e", plan: plan) {
                let context = DecisionContext(caller: command.caller, now: Fixture.days(1))
                switch command.target {
                case .vehicle(let c):
                    let events = try VehicleState.decide(c, vehicle, context)
                    appended += events.count
                    vehicle = VehicleState.applying(events, to: vehicle)
                case .maintenancePlan(let c):
                    let events = try MaintenancePlanState.decide(c, plan, context)
                    appended += events.count
                    plan = MaintenancePlanState.applying(events, to: plan)
                }
            }
            appendedPerPass.append(appended)
        }
        #expect(appendedPerPass == [3, 0])
        #expect(vehicle?.lastReading?.distance == .km(12_000))
        #expect(plan?.items["oil"]?.lastService?.odometer == .km(12_000))
        #expect(plan?.items["brakes"]?.lastService == nil)
    }
}
