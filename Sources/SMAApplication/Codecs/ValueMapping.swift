import SMADomain
import SMAProtos

/// Conversions between domain values and their `sma.v1` messages, shared by event codecs and
/// the gRPC services.
public enum ValueMapping {
    public static func distance(_ value: Distance) -> Sma_V1_Distance {
        var message = Sma_V1_Distance()
        message.value = value.value
        message.unit = value.unit == .km ? .kilometers : .miles
        return message
    }

    /// A distance from the wire; `field` names it in errors.
    public static func distance(_ message: Sma_V1_Distance?, field: String) throws(DomainError) -> Distance {
        guard let message else { throw .invalidArgument(field: field, reason: "is required") }
        let unit: DistanceUnit
        switch message.unit {
        case .kilometers: unit = .km
        case .miles: unit = .mi
        default: throw .invalidArgument(field: "\(field).unit", reason: "must be DISTANCE_UNIT_KILOMETERS or DISTANCE_UNIT_MILES")
        }
        return try Distance(value: message.value, unit: unit, field: "\(field).value")
    }

    public static func money(_ value: Money) -> Sma_V1_Money {
        var message = Sma_V1_Money()
        message.minorUnits = value.minorUnits
        message.currency = value.currency.code
        return message
    }

    public static func money(_ message: Sma_V1_Money?, field: String) throws(DomainError) -> Money {
        guard let message else { throw .invalidArgument(field: field, reason: "is required") }
        return Money(minorUnits: message.minorUnits, currency: try Currency(message.currency, field: "\(field).currency"))
    }

    public static func timestamp(_ value: Timestamp) -> Google_Protobuf_Timestamp {
        var message = Google_Protobuf_Timestamp()
        let ms = value.millisecondsSinceEpoch
        message.seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        message.nanos = Int32((ms - message.seconds * 1000) * 1_000_000)
        return message
    }

    /// A time from a request, validated as `google.protobuf.Timestamp` defines it: seconds from
    /// 0001-01-01 to 9999-12-31 and nanos 0…999,999,999 (out of range it used to wrap around).
    public static func timestamp(_ message: Google_Protobuf_Timestamp, field: String) throws(DomainError) -> Timestamp {
        guard (-62_135_596_800...253_402_300_799).contains(message.seconds) else {
            throw .invalidArgument(field: field, reason: "seconds \(message.seconds) is outside 0001-01-01…9999-12-31")
        }
        guard (0...999_999_999).contains(message.nanos) else {
            throw .invalidArgument(field: field, reason: "nanos \(message.nanos) must be 0…999999999")
        }
        return timestamp(message)
    }

    /// A time from a stored event (written by SMA, so within range).
    public static func timestamp(_ message: Google_Protobuf_Timestamp?) -> Timestamp {
        guard let message else { return Timestamp(millisecondsSinceEpoch: 0) }
        return Timestamp(millisecondsSinceEpoch: message.seconds &* 1000 &+ Int64(message.nanos / 1_000_000))
    }
}
