import Foundation
import SMAEventStore

/// Builders for test events.
enum Fixtures {
    static func event(_ type: String = "TestEvent", payloadSize: Int = 32, commandID: String? = nil, id: UUID = UUID()) -> EventData {
        EventData(eventID: id, eventType: type, schemaVersion: 2,
                  metadata: EventMetadata(commandID: commandID, correlationID: "corr", causationID: "cause", subject: "user-1"),
                  payload: (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    }

    static func events(_ count: Int, type: String = "TestEvent") -> [EventData] {
        (0..<count).map { _ in event(type) }
    }

    /// Reads every event of `$all`.
    static func readAll(_ store: some EventStore, filter: EventFilter = .all) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var position = LogPosition.start
        while true {
            let slice = try await store.readAll(from: position, filter: filter, maxCount: 1000)
            events += slice.events
            position = slice.nextPosition
            if slice.isEndOfLog { return events }
        }
    }
}
