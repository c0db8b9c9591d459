import SMADomain
import SMAProtobuf
import SMAProtos

/// The generated `sma.v1` message of every stored event type, to check that a payload really is
/// the message its event type names.
enum EventMessages {
    static let byEventType: [String: any ProtoMessage.Type] = [
        "DealershipRegistered": Sma_V1_DealershipRegistered.self,
        "TechnicianAdded": Sma_V1_TechnicianAdded.self,
        "TechnicianRemoved": Sma_V1_TechnicianRemoved.self,
        "OpCodeDefined": Sma_V1_OpCodeDefined.self,
        "LaborRateSet": Sma_V1_LaborRateSet.self,
        "RepairOrderNumberAllocated": Sma_V1_RepairOrderNumberAllocated.self,
        "CustomerRegistered": Sma_V1_CustomerRegistered.self,
        "CustomerContactUpdated": Sma_V1_CustomerContactUpdated.self,
        "VehicleRegistered": Sma_V1_VehicleRegistered.self,
        "OdometerRecorded": Sma_V1_OdometerRecorded.self,
        "OdometerCorrected": Sma_V1_OdometerCorrected.self,
        "OwnershipTransferred": Sma_V1_OwnershipTransferred.self,
        "VehicleRetired": Sma_V1_VehicleRetired.self,
        "PlanItemDefined": Sma_V1_PlanItemDefined.self,
        "PlanItemServiced": Sma_V1_PlanItemServiced.self,
        "PlanItemDeferred": Sma_V1_PlanItemDeferred.self,
        "PlanItemRemoved": Sma_V1_PlanItemRemoved.self,
        "RepairOrderOpened": Sma_V1_RepairOrderOpened.self,
        "JobAdded": Sma_V1_JobAdded.self,
        "LaborLineAdded": Sma_V1_LaborLineAdded.self,
        "PartsLineAdded": Sma_V1_PartsLineAdded.self,
        "LineRemoved": Sma_V1_LineRemoved.self,
        "TechnicianAssigned": Sma_V1_TechnicianAssigned.self,
        "JobApproved": Sma_V1_JobApproved.self,
        "JobDeclined": Sma_V1_JobDeclined.self,
        "WorkStarted": Sma_V1_WorkStarted.self,
        "FindingRecorded": Sma_V1_FindingRecorded.self,
        "JobCompleted": Sma_V1_JobCompleted.self,
        "RepairOrderCompleted": Sma_V1_RepairOrderCompleted.self,
        "RepairOrderClosed": Sma_V1_RepairOrderClosed.self,
        "RepairOrderCancelled": Sma_V1_RepairOrderCancelled.self,
        "RepairOrderReopened": Sma_V1_RepairOrderReopened.self,
        "AppointmentBooked": Sma_V1_AppointmentBooked.self,
        "AppointmentRescheduled": Sma_V1_AppointmentRescheduled.self,
        "AppointmentCheckedIn": Sma_V1_AppointmentCheckedIn.self,
        "AppointmentCancelled": Sma_V1_AppointmentCancelled.self,
        "AppointmentMarkedNoShow": Sma_V1_AppointmentMarkedNoShow.self,
    ]

    /// Every event type the domain declares, across all aggregates.
    static let allDomainEventTypes: [String] =
        DealershipEvent.eventTypes + CustomerEvent.eventTypes + VehicleEvent.eventTypes
        + MaintenancePlanEvent.eventTypes + RepairOrderEvent.eventTypes + AppointmentEvent.eventTypes

    /// Decodes `payload` as `type` and encodes it again: equal bytes mean the payload is exactly
    /// that message (no unknown or mistyped fields).
    static func reencode(_ payload: [UInt8], as type: any ProtoMessage.Type) throws -> [UInt8] {
        try reencode(payload, type)
    }

    private static func reencode<M: ProtoMessage>(_ payload: [UInt8], _: M.Type) throws -> [UInt8] {
        try M(serializedBytes: payload).serializedBytes()
    }

    /// The fields of the payload decoded as `type` that hold their proto3 default (empty text,
    /// zero, unset message, empty list, zero enum): a sample that sets every field has none.
    static func defaultedFields(_ payload: [UInt8], as type: any ProtoMessage.Type) throws -> [String] {
        let message = try decode(payload, type)
        return Mirror(reflecting: message).children.compactMap { child in isDefault(child.value) ? child.label ?? "?" : nil }
    }

    private static func decode<M: ProtoMessage>(_ payload: [UInt8], _: M.Type) throws -> M {
        try M(serializedBytes: payload)
    }

    private static func isDefault(_ value: Any) -> Bool {
        if let text = value as? String { return text.isEmpty }
        if let bytes = value as? [UInt8] { return bytes.isEmpty }
        if let number = value as? any BinaryInteger { return isZero(number) }
        if let protoEnum = value as? any ProtoEnum { return protoEnum.rawValue == 0 }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional, .collection: return mirror.children.isEmpty
        default: return false
        }
    }

    private static func isZero<T: BinaryInteger>(_ value: T) -> Bool { value == 0 }

    /// Bytes no protobuf message accepts: field 1, length-delimited, claiming 127 bytes but
    /// carrying one.
    static let garbage: [UInt8] = [0x0A, 0x7F, 0x01]
}
