/// Thrown when bytes are not a valid protobuf encoding of the expected message.
public struct ProtoDecodingError: Error, Hashable, CustomStringConvertible {
    /// What kind of invalid input was found.
    public enum Reason: Sendable, Hashable {
        /// protobuf-c rejected the bytes: truncated input, a wrong wire type, a bad length or varint.
        case malformed
        /// A `string` field is not valid UTF-8, which proto3 requires.
        case invalidUTF8
    }

    /// What kind of invalid input was found.
    public let reason: Reason
    /// What was wrong and what was expected, for logs and `INTERNAL`/`INVALID_ARGUMENT` details.
    public let message: String

    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
