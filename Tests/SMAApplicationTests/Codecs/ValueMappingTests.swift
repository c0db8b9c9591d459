import SMAApplication
import SMADomain
import Testing

@Suite("ValueMapping")
struct ValueMappingTests {
    @Test("a timestamp survives the wire form, before and after the epoch",
          arguments: [Int64.min / 1_000_000, -86_400_001, -1_001, -1_000, -999, -1, 0, 1, 999, 1_000, 1_749_945_600_123])
    func timestampRoundTrip(milliseconds: Int64) {
        let wire = ValueMapping.timestamp(Timestamp(millisecondsSinceEpoch: milliseconds))
        #expect((0..<1_000_000_000).contains(wire.nanos))
        #expect(ValueMapping.timestamp(wire) == Timestamp(millisecondsSinceEpoch: milliseconds))
    }

    @Test("a distance keeps its unit on the wire", arguments: [Distance.km(12_345), .mi(12_345), .km(0), .mi(Distance.maxValue)])
    func distanceRoundTrip(distance: Distance) throws {
        let back = try ValueMapping.distance(ValueMapping.distance(distance), field: "d")
        #expect(back == distance)
        #expect(back.unit == distance.unit && back.value == distance.value)
    }

    @Test("a distance with no unit is refused, naming the field")
    func distanceWithoutUnit() {
        var wire = ValueMapping.distance(.km(5))
        wire.unit = .unspecified
        #expect(throws: DomainError.invalidArgument(field: "odometer.unit", reason: "must be DISTANCE_UNIT_KILOMETERS or DISTANCE_UNIT_MILES")) {
            try ValueMapping.distance(wire, field: "odometer")
        }
    }
}
