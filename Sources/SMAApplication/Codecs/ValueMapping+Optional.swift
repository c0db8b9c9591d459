import SMADomain
import SMAProtos

extension ValueMapping {
    /// An optional distance from the wire: unset stays `nil`, set is validated.
    public static func optionalDistance(_ message: Sma_V1_Distance?, field: String) throws(DomainError) -> Distance? {
        guard let message else { return nil }
        return try distance(message, field: field)
    }

    /// An optional time from a stored event: unset stays `nil`.
    public static func optionalTimestamp(_ message: Google_Protobuf_Timestamp?) -> Timestamp? {
        message.map { timestamp($0) }
    }

    /// An optional time from a request: unset stays `nil`, set is validated (see ``timestamp(_:field:)``).
    public static func optionalTimestamp(_ message: Google_Protobuf_Timestamp?, field: String) throws(DomainError) -> Timestamp? {
        guard let message else { return nil }
        return try timestamp(message, field: field)
    }
}
