import Testing
@testable import SMADomain

@Suite("Maintenance plan: due status")
struct PlanItemDueStatusTests {
    func item(distance: Distance? = .km(10_000), days: Int64? = 365, schedule: ScheduleKind = .rolling, baseline: Distance = .km(10_000), dueSoon: DueSoonThreshold? = nil) throws -> PlanItem {
        let threshold = try dueSoon ?? DueSoonThreshold(distance: .km(1_000), days: 30)
        return PlanItem(itemId: "oil", name: "Oil", opCode: "OIL", interval: try ServiceInterval(distance: distance, days: days), schedule: schedule, dueSoon: threshold, baseline: OdometerReading(distance: baseline, recordedAt: Fixture.now))
    }

    @Test("is ok well before both due points")
    func ok() throws {
        #expect(try item().dueStatus(odometer: .km(15_000), now: Fixture.days(100)) == .ok)
    }

    @Test("is due soon within the distance threshold and overdue at the due distance")
    func byDistance() throws {
        let item = try item()
        #expect(item.dueStatus(odometer: .km(19_000), now: Fixture.now) == .dueSoon)
        #expect(item.dueStatus(odometer: .km(20_000), now: Fixture.now) == .overdue)
    }

    @Test("whichever comes first: time makes it due even when distance does not")
    func whicheverFirst() throws {
        let item = try item()
        #expect(item.dueStatus(odometer: .km(12_000), now: Fixture.days(340)) == .dueSoon)
        #expect(item.dueStatus(odometer: .km(12_000), now: Fixture.days(365)) == .overdue)
        #expect(item.dueStatus(odometer: .km(20_500), now: Fixture.days(10)) == .overdue)
    }

    @Test("a distance-only item ignores time and a time-only item ignores distance")
    func singleDimension() throws {
        #expect(try item(days: nil).dueStatus(odometer: .km(12_000), now: Fixture.days(5_000)) == .ok)
        #expect(try item(distance: nil).dueStatus(odometer: .km(900_000), now: Fixture.days(10)) == .ok)
        #expect(try item(distance: nil).dueStatus(odometer: .km(0), now: Fixture.days(400)) == .overdue)
    }

    @Test("compares in one canonical unit: a 5 000 mi interval is due at 8 047 km, not 8 046 km")
    func mixedUnits() throws {
        let item = try item(distance: .mi(5_000), days: nil, baseline: .mi(0), dueSoon: .disabled)
        #expect(item.dueStatus(odometer: .km(8_046), now: Fixture.now) == .ok)
        #expect(item.dueStatus(odometer: .km(8_047), now: Fixture.now) == .overdue)
    }

    @Test("rolling counts from the last service; fixed keeps the multiples of the interval")
    func rollingVersusFixed() throws {
        var rolling = try item(days: nil, baseline: .km(0))
        var fixed = try item(days: nil, schedule: .fixed, baseline: .km(0))
        let service = ServiceRecord(odometer: .km(12_000), at: Fixture.now, sourceId: "ro-d1-1")
        rolling.lastService = service
        fixed.lastService = service
        #expect(rolling.nextDueMillimeters == Distance.km(22_000).canonicalMillimeters)
        #expect(fixed.nextDueMillimeters == Distance.km(20_000).canonicalMillimeters)
        #expect(rolling.dueStatus(odometer: .km(20_500), now: Fixture.now) == .ok)
        #expect(fixed.dueStatus(odometer: .km(20_500), now: Fixture.now) == .overdue)
    }

    @Test("a fixed schedule counts an early service for the nearest multiple")
    func fixedEarlyService() throws {
        var fixed = try item(days: nil, schedule: .fixed, baseline: .km(0))
        fixed.lastService = ServiceRecord(odometer: .km(9_600), at: Fixture.now, sourceId: "x")
        #expect(fixed.nextDueMillimeters == Distance.km(20_000).canonicalMillimeters)
    }

    @Test("a fixed time schedule keeps its calendar slots")
    func fixedTime() throws {
        var fixed = try item(distance: nil, days: 100, schedule: .fixed)
        fixed.lastService = ServiceRecord(odometer: .km(0), at: Fixture.days(130), sourceId: "x")
        #expect(fixed.nextDueTime == Fixture.days(200))
        var rolling = try item(distance: nil, days: 100)
        rolling.lastService = ServiceRecord(odometer: .km(0), at: Fixture.days(130), sourceId: "x")
        #expect(rolling.nextDueTime == Fixture.days(230))
    }

    @Test("a deferral postpones the due point")
    func deferral() throws {
        var item = try item(days: nil)
        #expect(item.dueStatus(odometer: .km(20_500), now: Fixture.now) == .overdue)
        item.deferral = Deferral(untilOdometer: .km(25_000), untilTime: nil, reason: "customer budget")
        #expect(item.dueStatus(odometer: .km(20_500), now: Fixture.now) == .ok)
        #expect(item.dueStatus(odometer: .km(25_000), now: Fixture.now) == .overdue)
    }

    @Test("an interval needs a distance or a time, both positive")
    func intervalValidation() {
        #expect(refusal { try ServiceInterval(distance: nil, days: nil) }?.field == "interval")
        #expect(refusal { try ServiceInterval(distance: .km(0), days: nil) }?.field == "interval.distance")
        #expect(refusal { try ServiceInterval(distance: nil, days: 0) }?.field == "interval.days")
        #expect(refusal { try DueSoonThreshold(days: -1) }?.field == "due_soon.days")
    }
}
