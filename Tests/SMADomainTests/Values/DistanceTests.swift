import Testing
@testable import SMADomain

@Suite("Distance")
struct DistanceTests {
    @Test("compares across units in one canonical unit: 100 mi is more than 150 km")
    func comparesAcrossUnits() {
        #expect(Distance.mi(100) > Distance.km(150))
        #expect(Distance.km(161) > Distance.mi(100))
    }

    @Test("converts miles to millimetres exactly")
    func canonicalMillimeters() {
        #expect(Distance.mi(1).canonicalMillimeters == 1_609_344)
        #expect(Distance.km(1).canonicalMillimeters == 1_000_000)
    }

    @Test("treats equal lengths in different units as equal and hashes them alike")
    func equalAcrossUnits() {
        #expect(Distance.mi(15_625) == Distance.km(25_146))
        #expect(Set([Distance.mi(15_625), Distance.km(25_146)]).count == 1)
        #expect(Distance.mi(1) != Distance.km(1))
    }

    @Test("refuses negative and absurd values", arguments: [Int64(-1), Distance.maxValue + 1])
    func refusesOutOfRange(_ value: Int64) {
        #expect(refusal { try Distance(value: value, unit: .km, field: "odometer") }?.field == "odometer")
    }
}
