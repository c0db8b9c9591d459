import Testing
@testable import SMADomain

@Suite("Common: time, callers, errors, stream names")
struct CommonTests {
    @Test("derives the civil year from Unix milliseconds", arguments: [
        (Int64(0), Int64(1970)), (1_749_945_600_000, 2025), (946_684_799_999, 1999), (946_684_800_000, 2000), (-1, 1969),
    ])
    func civilYear(_ millis: Int64, _ year: Int64) {
        #expect(Timestamp(millisecondsSinceEpoch: millis).civilYear == year)
    }

    @Test("saturates instead of trapping when adding huge day counts")
    func saturatingDays() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).adding(days: .max).millisecondsSinceEpoch == .max)
    }

    @Test("treats only manager and admin as privileged")
    func privilegedRoles() {
        #expect(Fixture.manager.isPrivileged)
        #expect(Fixture.admin.isPrivileged)
        #expect(!Fixture.advisor.isPrivileged)
        #expect(!Caller.process("x", dealershipId: "d1").isPrivileged)
    }

    @Test("scopes a caller to its dealerships")
    func scope() {
        #expect(DealershipScope.all.contains("anything"))
        #expect(DealershipScope.only(["d1"]).contains("d1"))
        #expect(!DealershipScope.only(["d1"]).contains("d2"))
    }

    @Test("builds the documented stream names")
    func streamNames() {
        #expect(StreamName.vehicle(Fixture.vin) == "vehicle-1HGCM82633A004352")
        #expect(StreamName.maintenancePlan(Fixture.vin) == "plan-1HGCM82633A004352")
        #expect(StreamName.repairOrder(dealershipId: "d1", number: 7) == "ro-d1-7")
        #expect(StreamName.dealership("d1") == "dealership-d1")
        #expect(StreamName.customer("c1") == "customer-c1")
        #expect(StreamName.appointment("a1") == "appointment-a1")
    }

    @Test("error messages name what was wrong and what is expected")
    func messages() {
        #expect(DomainError.invalidArgument(field: "vin", reason: "too short").message == "invalid vin: too short")
        #expect(DomainError.notFound(entity: "vehicle", id: "X").message.contains("'X' does not exist"))
        #expect(DomainError.alreadyExists(entity: "vehicle", id: "X").message.contains("only once"))
        #expect(DomainError.notFound(entity: "vehicle", id: "X").field == nil)
    }
}
