import Foundation
import SMAEventStore
import SMAProtos

/// Turns recorded events into `sma.v1.Event` messages with their typed payload.
enum EventMapping {
    private typealias Payload = Sma_V1_Event.OneOf_Payload

    /// Payload decoders by event type. An unknown type (written by a newer server) leaves the
    /// oneof unset; `raw_payload` still carries the bytes.
    private static let decoders: [String: @Sendable ([UInt8]) throws -> Payload] = [
        "DealershipRegistered": { .dealershipRegistered(try .init(serializedBytes: $0)) },
        "TechnicianAdded": { .technicianAdded(try .init(serializedBytes: $0)) },
        "TechnicianRemoved": { .technicianRemoved(try .init(serializedBytes: $0)) },
        "OpCodeDefined": { .opCodeDefined(try .init(serializedBytes: $0)) },
        "LaborRateSet": { .laborRateSet(try .init(serializedBytes: $0)) },
        "RepairOrderNumberAllocated": { .repairOrderNumberAllocated(try .init(serializedBytes: $0)) },
        "CustomerRegistered": { .customerRegistered(try .init(serializedBytes: $0)) },
        "CustomerContactUpdated": { .customerContactUpdated(try .init(serializedBytes: $0)) },
        "VehicleRegistered": { .vehicleRegistered(try .init(serializedBytes: $0)) },
        "OdometerRecorded": { .odometerRecorded(try .init(serializedBytes: $0)) },
        "OdometerCorrected": { .odometerCorrected(try .init(serializedBytes: $0)) },
        "OwnershipTransferred": { .ownershipTransferred(try .init(serializedBytes: $0)) },
        "VehicleRetired": { .vehicleRetired(try .init(serializedBytes: $0)) },
        "PlanItemDefined": { .planItemDefined(try .init(serializedBytes: $0)) },
        "PlanItemServiced": { .planItemServiced(try .init(serializedBytes: $0)) },
        "PlanItemDeferred": { .planItemDeferred(try .init(serializedBytes: $0)) },
        "PlanItemRemoved": { .planItemRemoved(try .init(serializedBytes: $0)) },
        "RepairOrderOpened": { .repairOrderOpened(try .init(serializedBytes: $0)) },
        "JobAdded": { .jobAdded(try .init(serializedBytes: $0)) },
        "LaborLineAdded": { .laborLineAdded(try .init(serializedBytes: $0)) },
        "PartsLineAdded": { .partsLineAdded(try .init(serializedBytes: $0)) },
        "LineRemoved": { .lineRemoved(try .init(serializedBytes: $0)) },
        "TechnicianAssigned": { .technicianAssigned(try .init(serializedBytes: $0)) },
        "JobApproved": { .jobApproved(try .init(serializedBytes: $0)) },
        "JobDeclined": { .jobDeclined(try .init(serializedBytes: $0)) },
        "WorkStarted": { .workStarted(try .init(serializedBytes: $0)) },
        "FindingRecorded": { .findingRecorded(try .init(serializedBytes: $0)) },
        "JobCompleted": { .jobCompleted(try .init(serializedBytes: $0)) },
        "RepairOrderCompleted": { .repairOrderCompleted(try .init(serializedBytes: $0)) },
        "RepairOrderClosed": { .repairOrderClosed(try .init(serializedBytes: $0)) },
        "RepairOrderCancelled": { .repairOrderCancelled(try .init(serializedBytes: $0)) },
        "RepairOrderReopened": { .repairOrderReopened(try .init(serializedBytes: $0)) },
        "AppointmentBooked": { .appointmentBooked(try .init(serializedBytes: $0)) },
        "AppointmentRescheduled": { .appointmentRescheduled(try .init(serializedBytes: $0)) },
        "AppointmentCheckedIn": { .appointmentCheckedIn(try .init(serializedBytes: $0)) },
        "AppointmentCancelled": { .appointmentCancelled(try .init(serializedBytes: $0)) },
        "AppointmentMarkedNoShow": { .appointmentMarkedNoShow(try .init(serializedBytes: $0)) },
    ]

    static func event(_ recorded: RecordedEvent) -> Sma_V1_Event {
        var event = Sma_V1_Event()
        event.position = recorded.position.value
        event.streamId = recorded.streamID.rawValue
        event.streamVersion = recorded.streamVersion
        event.eventId = recorded.eventID.uuidString.lowercased()
        event.eventType = recorded.eventType
        event.schemaVersion = recorded.schemaVersion
        let milliseconds = Int64((recorded.timestamp.timeIntervalSince1970 * 1000).rounded())
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = milliseconds / 1000
        timestamp.nanos = Int32(milliseconds % 1000) * 1_000_000
        event.recordedAt = timestamp
        var metadata = Sma_V1_EventMetadata()
        metadata.commandId = recorded.metadata.commandID ?? ""
        metadata.correlationId = recorded.metadata.correlationID ?? ""
        metadata.causationId = recorded.metadata.causationID ?? ""
        metadata.subject = recorded.metadata.subject ?? ""
        event.metadata = metadata
        event.payload = try? decoders[recorded.eventType]?(recorded.payload)
        event.rawPayload = recorded.payload
        return event
    }

    /// About the encoded size of ``event(_:)``'s result (the payload travels twice: typed and raw).
    static func encodedSizeEstimate(_ recorded: RecordedEvent) -> Int {
        let m = recorded.metadata
        let strings = recorded.streamID.rawValue.utf8.count + recorded.eventType.utf8.count + (m.commandID?.utf8.count ?? 0)
            + (m.correlationID?.utf8.count ?? 0) + (m.causationID?.utf8.count ?? 0) + (m.subject?.utf8.count ?? 0)
        return 2 * recorded.payload.count + strings + 36 + 96
    }

    static func filter(_ message: Sma_V1_EventFilter?) -> EventFilter {
        guard let message else { return .all }
        return EventFilter(streamIDPrefix: message.streamPrefix.isEmpty ? nil : message.streamPrefix,
                           eventTypes: message.eventTypes.isEmpty ? nil : Set(message.eventTypes))
    }
}
