extension VehicleEvent {
    /// Payload of `VehicleRegistered`.
    public struct Registered: Hashable, Sendable {
        public var vin: String
        public var dealershipId: String
        public var make: String
        public var model: String
        public var year: Int64
        public var ownerCustomerId: String
        /// The odometer at registration, if read.
        public var odometer: Distance?
        public var registeredAt: Timestamp
        /// Creates the payload.
        public init(vin: String, dealershipId: String, make: String, model: String, year: Int64, ownerCustomerId: String, odometer: Distance?, registeredAt: Timestamp) {
            self.vin = vin
            self.dealershipId = dealershipId
            self.make = make
            self.model = model
            self.year = year
            self.ownerCustomerId = ownerCustomerId
            self.odometer = odometer
            self.registeredAt = registeredAt
        }
    }

    /// Payload of `OdometerRecorded`.
    public struct OdometerRecorded: Hashable, Sendable {
        public var vin: String
        public var reading: Distance
        public var recordedAt: Timestamp
        /// The caller's subject.
        public var recordedBy: String
        /// Creates the payload.
        public init(vin: String, reading: Distance, recordedAt: Timestamp, recordedBy: String) {
            self.vin = vin
            self.reading = reading
            self.recordedAt = recordedAt
            self.recordedBy = recordedBy
        }
    }

    /// Payload of `OdometerCorrected`: the only way a reading may go down.
    public struct OdometerCorrected: Hashable, Sendable {
        public var vin: String
        /// The reading being replaced (nil if there was none).
        public var previous: Distance?
        public var corrected: Distance
        public var reason: String
        /// Who made the correction (the caller's subject).
        public var actor: String
        public var correctedAt: Timestamp
        /// Creates the payload.
        public init(vin: String, previous: Distance?, corrected: Distance, reason: String, actor: String, correctedAt: Timestamp) {
            self.vin = vin
            self.previous = previous
            self.corrected = corrected
            self.reason = reason
            self.actor = actor
            self.correctedAt = correctedAt
        }
    }

    /// Payload of `OwnershipTransferred`.
    public struct OwnershipTransferred: Hashable, Sendable {
        public var vin: String
        public var fromCustomerId: String
        public var toCustomerId: String
        public var transferredAt: Timestamp
        /// Creates the payload.
        public init(vin: String, fromCustomerId: String, toCustomerId: String, transferredAt: Timestamp) {
            self.vin = vin
            self.fromCustomerId = fromCustomerId
            self.toCustomerId = toCustomerId
            self.transferredAt = transferredAt
        }
    }

    /// Payload of `VehicleRetired`.
    public struct Retired: Hashable, Sendable {
        public var vin: String
        public var reason: String
        public var retiredAt: Timestamp
        /// Creates the payload.
        public init(vin: String, reason: String, retiredAt: Timestamp) {
            self.vin = vin
            self.reason = reason
            self.retiredAt = retiredAt
        }
    }
}
