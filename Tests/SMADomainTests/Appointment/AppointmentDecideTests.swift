import Testing
@testable import SMADomain

@Suite("Appointment decisions")
struct AppointmentDecideTests {
    func decide(_ command: AppointmentCommand, _ state: AppointmentState?, as caller: Caller = Fixture.advisor, at time: Timestamp = Fixture.now) throws -> [AppointmentEvent] {
        try AppointmentState.decide(command, state, Fixture.context(caller, at: time))
    }

    func book(start: Timestamp = Fixture.days(2), duration: Int64 = 60, dealershipId: String = Fixture.dealershipId) -> AppointmentCommand {
        .book(appointmentId: "a1", dealershipId: dealershipId, customerId: "c1", vin: Fixture.vin, start: start, durationMinutes: duration, concerns: ["Oil change"])
    }

    func booked() throws -> AppointmentState {
        AppointmentState.replay(try decide(book(), nil))!
    }

    @Test("books a future slot")
    func books() throws {
        let state = try booked()
        #expect(state.status == .booked)
        #expect(state.start == Fixture.days(2))
    }

    @Test("booking refuses a past start, a bad duration, a duplicate and another dealership")
    func bookRefusals() throws {
        #expect(refusal { try decide(book(start: Fixture.now), nil) }?.field == "start")
        #expect(refusal { try decide(book(duration: 0), nil) }?.field == "duration_minutes")
        #expect(refusal { try decide(book(), try booked()) }?.kind == .alreadyExists)
        #expect(refusal { try decide(book(dealershipId: Fixture.otherDealershipId), nil) }?.kind == .permissionDenied)
    }

    @Test("reschedules to another future slot; the same slot is a no-op")
    func reschedules() throws {
        let state = try booked()
        let events = try decide(.reschedule(appointmentId: "a1", start: Fixture.days(3), durationMinutes: 90), state)
        #expect(events.map(\.eventType) == ["AppointmentRescheduled"])
        #expect(AppointmentState.applying(events, to: state)?.start == Fixture.days(3))
        #expect(try decide(.reschedule(appointmentId: "a1", start: Fixture.days(2), durationMinutes: 60), state).isEmpty)
        #expect(refusal { try decide(.reschedule(appointmentId: "a1", start: Fixture.days(-1), durationMinutes: 60), state) }?.field == "start")
    }

    @Test("checks in a booked appointment; afterwards it no longer changes")
    func checksIn() throws {
        var state: AppointmentState? = try booked()
        let events = try decide(.checkIn(appointmentId: "a1"), state, at: Fixture.days(2))
        #expect(events.map(\.eventType) == ["AppointmentCheckedIn"])
        state = AppointmentState.applying(events, to: state)
        #expect(refusal { try decide(.cancel(appointmentId: "a1", reason: "x"), state) }?.kind == .failedPrecondition)
    }

    @Test("cancels with a reason")
    func cancels() throws {
        let state = try booked()
        #expect(refusal { try decide(.cancel(appointmentId: "a1", reason: ""), state) }?.field == "reason")
        let events = try decide(.cancel(appointmentId: "a1", reason: "sick"), state)
        #expect(AppointmentState.applying(events, to: state)?.status == .cancelled)
    }

    @Test("a no-show can be marked only after the start time")
    func noShow() throws {
        let state = try booked()
        #expect(refusal { try decide(.markNoShow(appointmentId: "a1"), state) }?.kind == .failedPrecondition)
        let events = try decide(.markNoShow(appointmentId: "a1"), state, at: Fixture.days(3))
        #expect(AppointmentState.applying(events, to: state)?.status == .noShow)
    }

    @Test("unknown appointments are NOT_FOUND and other dealerships are refused")
    func notFoundAndScope() throws {
        #expect(refusal { try decide(.checkIn(appointmentId: "a9"), nil) }?.kind == .notFound)
        #expect(refusal { try decide(.checkIn(appointmentId: "a1"), try booked(), as: Fixture.outsider) }?.kind == .permissionDenied)
    }
}
