/// An ``EventFilter`` prepared for matching raw record bytes without decoding them.
struct CompiledFilter: Sendable {
    let prefix: [UInt8]
    let eventTypes: [[UInt8]]?

    init(_ filter: EventFilter) {
        prefix = Array((filter.streamIDPrefix ?? "").utf8)
        eventTypes = filter.eventTypes.map { types in types.map { Array($0.utf8) } }
    }

    /// Whether every event passes.
    var isAll: Bool { prefix.isEmpty && eventTypes == nil }

    /// Whether the record viewed by `header` passes.
    func matches(_ header: RecordHeader) -> Bool {
        if !prefix.isEmpty {
            let stream = header.streamIDBytes
            guard stream.count >= prefix.count, stream.starts(with: prefix) else { return false }
        }
        if let eventTypes {
            let type = header.eventTypeBytes
            return eventTypes.contains { $0.count == type.count && type.elementsEqual($0) }
        }
        return true
    }

    /// Whether a decoded event passes.
    func matches(_ event: RecordedEvent) -> Bool {
        matches(stream: event.streamID, eventType: event.eventType)
    }

    /// Whether an event of `stream` and type `eventType` passes (compared on the strings' own
    /// UTF-8 bytes: no array per event).
    func matches(stream: StreamID, eventType: String) -> Bool {
        if !prefix.isEmpty, !stream.rawValue.utf8.starts(with: prefix) { return false }
        if let eventTypes {
            return eventType.withContiguousUTF8 { bytes in eventTypes.contains { $0.count == bytes.count && $0.elementsEqual(bytes) } }
        }
        return true
    }
}
