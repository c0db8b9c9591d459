import SMADomain

/// One event of every type of every aggregate, each field set to a non-default value (plus a
/// few variants where an optional is absent), for the codec round trips.
enum SampleEvents {
    private static let at = Fixture.now
    private static let later = Fixture.later
    private static let vin = Fixture.vin.value
    private static let dealershipId = Fixture.dealershipId
    private static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .usd) }
    private static func quantity(_ thousandths: Int64) -> Quantity { try! Quantity(thousandths: thousandths) }

    static let dealership: [DealershipEvent] = [
        .registered(.init(dealershipId: dealershipId, name: "Main Street Motors", currency: .eur, registeredAt: at)),
        .technicianAdded(.init(dealershipId: dealershipId, technicianId: "t-7", name: "Tess")),
        .technicianRemoved(.init(dealershipId: dealershipId, technicianId: "t-7")),
        .opCodeDefined(.init(dealershipId: dealershipId, opCode: "OIL-CHG", description: "Oil and filter", standardHours: quantity(1_250))),
        .laborRateSet(.init(dealershipId: dealershipId, ratePerHour: Money(minorUnits: 12_345, currency: .eur))),
        .repairOrderNumberAllocated(.init(dealershipId: dealershipId, number: 17, requestId: "cmd-9")),
    ]

    static let customer: [CustomerEvent] = [
        .registered(.init(customerId: "c-1", dealershipId: dealershipId, name: "Ana Lima",
                          contact: try! ContactInfo(email: "ana@example.com", phone: "+1 555 0100"), registeredAt: at)),
        .contactUpdated(.init(customerId: "c-1", contact: try! ContactInfo(email: "ana.lima@example.com", phone: "+44 20 7946 0958"),
                              updatedAt: later)),
        // Only one of the two contact fields.
        .contactUpdated(.init(customerId: "c-1", contact: try! ContactInfo(email: "", phone: "555-0100"), updatedAt: later)),
    ]

    static let vehicle: [VehicleEvent] = [
        .registered(.init(vin: vin, dealershipId: dealershipId, make: "Honda", model: "Accord", year: 2003, ownerCustomerId: "c-1",
                          odometer: .mi(12_345), registeredAt: at)),
        .odometerRecorded(.init(vin: vin, reading: .km(23_456), recordedAt: at, recordedBy: "bob")),
        .odometerCorrected(.init(vin: vin, previous: .km(99_999), corrected: .mi(12_000), reason: "typo", actor: "maria", correctedAt: later)),
        .ownershipTransferred(.init(vin: vin, fromCustomerId: "c-1", toCustomerId: "c-2", transferredAt: at)),
        .retired(.init(vin: vin, reason: "written off", retiredAt: later)),
        // Optional distances absent.
        .registered(.init(vin: vin, dealershipId: dealershipId, make: "Honda", model: "Civic", year: 2024, ownerCustomerId: "c-3",
                          odometer: nil, registeredAt: at)),
        .odometerCorrected(.init(vin: vin, previous: nil, corrected: .km(5), reason: "first reading", actor: "maria", correctedAt: at)),
    ]

    static let maintenancePlan: [MaintenancePlanEvent] = [
        .itemDefined(.init(vin: vin, dealershipId: dealershipId, item: PlanItem(
            itemId: "oil", name: "Engine oil and filter", opCode: "OIL-CHG",
            interval: try! ServiceInterval(distance: .km(10_000), days: 365), schedule: .fixed,
            dueSoon: try! DueSoonThreshold(distance: .mi(500), days: 14),
            baseline: OdometerReading(distance: .km(3_000), recordedAt: at)))),
        .itemServiced(.init(itemId: "oil", service: ServiceRecord(odometer: .km(13_000), at: later, sourceId: "ro-d-42-1"))),
        .itemDeferred(.init(itemId: "oil", deferral: Deferral(untilOdometer: .mi(15_000), untilTime: later, reason: "customer request"),
                            deferredBy: "alice")),
        .itemRemoved(.init(itemId: "oil", reason: "not needed", removedBy: "maria")),
        // Time-only interval, a zero-day threshold (set, not absent), rolling schedule.
        .itemDefined(.init(vin: vin, dealershipId: dealershipId, item: PlanItem(
            itemId: "inspection", name: "Inspection", opCode: "INSPECT",
            interval: try! ServiceInterval(distance: nil, days: 30), schedule: .rolling,
            dueSoon: try! DueSoonThreshold(distance: nil, days: 0),
            baseline: OdometerReading(distance: .km(1), recordedAt: later)))),
        // No due-soon warning at all.
        .itemDefined(.init(vin: vin, dealershipId: dealershipId, item: PlanItem(
            itemId: "wipers", name: "Wipers", opCode: "WIPE",
            interval: try! ServiceInterval(distance: .mi(20_000), days: nil), schedule: .rolling,
            dueSoon: .disabled, baseline: OdometerReading(distance: .mi(7), recordedAt: at)))),
        // Deferral by one dimension only.
        .itemDeferred(.init(itemId: "oil", deferral: Deferral(untilOdometer: nil, untilTime: later, reason: "later"), deferredBy: "bob")),
        .itemDeferred(.init(itemId: "oil", deferral: Deferral(untilOdometer: .km(40_000), untilTime: nil, reason: "later"), deferredBy: "bob")),
    ]

    static let repairOrder: [RepairOrderEvent] = [
        .opened(.init(dealershipId: dealershipId, number: 17, vin: vin, customerId: "c-1", advisorId: "adv-1", odometerIn: .km(12_050),
                      concerns: ["oil change due", "squeak when braking"], currency: .usd, openedAt: at)),
        .jobAdded(.init(jobId: "J1", opCode: "OIL-CHG", description: "Oil and filter change")),
        .laborLineAdded(RepairOrderLine(lineId: "L1", jobId: "J1", kind: .labor, partNumber: "", description: "Labor",
                                        quantity: quantity(500), unitPrice: usd(12_000), amount: usd(6_000))),
        .partsLineAdded(RepairOrderLine(lineId: "P1", jobId: "J1", kind: .parts, partNumber: "15400-PLM-A02", description: "Oil 5W-30",
                                        quantity: quantity(5_000), unitPrice: usd(899), amount: usd(4_495))),
        .lineRemoved(.init(lineId: "P1", jobId: "J1")),
        .technicianAssigned(.init(jobId: "J1", technicianId: "t-7")),
        // `reason` is documented as empty for every job transition but a decline (no proto field).
        .jobApproved(.init(jobId: "J1", actor: "alice", at: at)),
        .jobDeclined(.init(jobId: "J2", actor: "alice", reason: "too expensive", at: later)),
        .workStarted(.init(jobId: "J1", actor: "t-7", at: at)),
        .findingRecorded(.init(jobId: "J1", finding: "Front pads at 3 mm", recordedBy: "t-7", at: later)),
        .jobCompleted(.init(jobId: "J1", actor: "t-7", at: later)),
        .completed(.init(dealershipId: dealershipId, number: 17, vin: vin, odometerOut: .mi(7_500), completedOpCodes: ["OIL-CHG", "BRAKE"],
                         total: usd(10_495), completedBy: "alice", completedAt: later)),
        // `reason` is documented as empty for a close (no proto field).
        .closed(.init(actor: "alice", reason: "", at: later)),
        .cancelled(.init(actor: "alice", reason: "customer left", at: at)),
        .reopened(.init(actor: "maria", reason: "customer called back", at: later)),
    ]

    static let appointment: [AppointmentEvent] = [
        .booked(.init(appointmentId: "a-1", dealershipId: dealershipId, customerId: "c-1", vin: vin, start: later, durationMinutes: 45,
                      concerns: ["oil change due", "noise"], bookedBy: "alice")),
        .rescheduled(.init(previousStart: at, start: later, durationMinutes: 90, rescheduledBy: "bob")),
        // `reason` is documented as empty except for cancellations (no proto field).
        .checkedIn(.init(actor: "alice", at: at)),
        .cancelled(.init(actor: "alice", reason: "too late", at: later)),
        .markedNoShow(.init(actor: "process:no-show", at: later)),
    ]

    /// The first sample of each event type: the ones with every optional value present.
    static func complete<Event: DomainEvent>(_ events: [Event]) -> [Event] {
        var seen = Set<String>()
        return events.filter { seen.insert($0.eventType).inserted }
    }
}
