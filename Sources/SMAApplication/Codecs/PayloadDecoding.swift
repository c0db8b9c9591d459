import SMADomain
import SMAProtobuf

/// Decoding of stored payloads with errors that name the event.
enum PayloadDecoding {
    static func message<M: ProtoMessage>(_ type: M.Type, _ payload: [UInt8], eventType: String) throws(CommandError) -> M {
        do {
            return try M(serializedBytes: payload)
        } catch {
            throw .unreadableEvent(stream: "", eventType: eventType, reason: "payload is not a valid \(M.self): \(error)")
        }
    }

    /// Runs a domain value constructor on stored data; a refusal means the log holds data the
    /// current rules reject, which is reported rather than silently dropped.
    static func value<T>(_ eventType: String, _ build: () throws(DomainError) -> T) throws(CommandError) -> T {
        do {
            return try build()
        } catch {
            throw .unreadableEvent(stream: "", eventType: eventType, reason: error.message)
        }
    }
}
