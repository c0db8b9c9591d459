/// Which events of `$all` a read or subscription wants: by stream-id prefix and by event type.
public struct EventFilter: Hashable, Sendable {
    /// Only events whose stream id starts with this prefix (nil: all streams).
    public var streamIDPrefix: String?
    /// Only events of these types (nil: all types).
    public var eventTypes: Set<String>?

    public init(streamIDPrefix: String? = nil, eventTypes: Set<String>? = nil) {
        self.streamIDPrefix = streamIDPrefix
        self.eventTypes = eventTypes
    }

    /// Every event.
    public static let all = EventFilter()

    /// Whether the filter lets every event through.
    public var isAll: Bool { (streamIDPrefix ?? "").isEmpty && eventTypes == nil }

    /// Whether an event passes the filter.
    public func matches(_ event: RecordedEvent) -> Bool {
        if let prefix = streamIDPrefix, !prefix.isEmpty, !event.streamID.rawValue.utf8.starts(with: prefix.utf8) {
            return false
        }
        if let types = eventTypes, !types.contains(event.eventType) {
            return false
        }
        return true
    }
}
