import Testing

/// Expects `payload` to be exactly the `sma.v1.<eventType>` message: the generated type of that
/// name decodes it and encodes it back to the same bytes.
func expectPayload(_ payload: [UInt8], isMessageNamed eventType: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let type = try #require(EventMessages.byEventType[eventType], "no sma.v1 message for \(eventType)", sourceLocation: sourceLocation)
    #expect(type.protoDescriptor.fullName == "sma.v1.\(eventType)", sourceLocation: sourceLocation)
    #expect(try EventMessages.reencode(payload, as: type) == payload, sourceLocation: sourceLocation)
}

/// Expects every field of `payload`, read as the `sma.v1.<eventType>` message, to be set: the
/// encoder writes every field of the message (for samples with every value present).
func expectEveryFieldSet(_ payload: [UInt8], eventType: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let type = try #require(EventMessages.byEventType[eventType], sourceLocation: sourceLocation)
    #expect(try EventMessages.defaultedFields(payload, as: type) == [], sourceLocation: sourceLocation)
}
