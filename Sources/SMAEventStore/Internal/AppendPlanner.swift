import Foundation

/// Decides, in order, the fate of each append of a batch: idempotent retry, version conflict, or
/// positions and versions to write. Keeps what earlier appends of the same batch staged.
struct AppendPlanner {
    private var nextPosition: UInt64
    private var stagedVersions: [HashedString: UInt64] = [:]
    /// Event id → (batch index of the accepted append, index of the event in it).
    private var stagedEventIDs: [EventKey: (request: Int, event: Int, position: UInt64)] = [:]
    private var stagedCommandIDs: [HashedString: Int] = [:]
    private var stagedCounts: [Int: Int] = [:]

    /// A planner whose first accepted event gets position `head + 1`, sized for a batch of
    /// `requests` appends carrying `events` events (its tables then never grow mid-batch).
    init(head: UInt64, requests: Int = 0, events: Int = 0) {
        self.nextPosition = head + 1
        reserve(requests: requests, events: events)
    }

    /// Makes room for `requests` more appends carrying `events` events (the writer stages a
    /// batch in several steps as its appends arrive).
    mutating func reserve(requests: Int, events: Int) {
        stagedVersions.reserveCapacity(stagedVersions.count + requests)
        stagedEventIDs.reserveCapacity(stagedEventIDs.count + events)
        stagedCommandIDs.reserveCapacity(stagedCommandIDs.count + requests)
        stagedCounts.reserveCapacity(stagedCounts.count + requests)
    }

    /// The position the next accepted event would get.
    var nextFreePosition: UInt64 { nextPosition }

    /// Plans request number `requestIndex` of the batch against the committed `index`.
    mutating func plan(requestIndex: Int, stream: StreamID, expected: ExpectedVersion, events: [EventData], index: borrowing StoreIndex) -> AppendPlan {
        plan(requestIndex: requestIndex, stream: stream, streamKey: HashedString(stream), commandKey: AppendRequest.commandKey(of: events),
             expected: expected, events: events, index: index)
    }

    /// ``plan(requestIndex:stream:expected:events:index:)`` with the stream id and the command id
    /// already hashed (`commandKey` must be the first event's command id, nil if none or empty).
    mutating func plan(
        requestIndex: Int, stream: StreamID, streamKey: HashedString, commandKey: HashedString?,
        expected: ExpectedVersion, events: [EventData], index: borrowing StoreIndex
    ) -> AppendPlan {
        guard !events.isEmpty else { return .failed(.invalidAppend(reason: "an append needs at least one event")) }
        guard stream.isValid else {
            return .failed(.invalidAppend(reason: "stream id must be 1…\(StreamID.maxUTF8Length) UTF-8 bytes, got \(stream.rawValue.utf8.count)"))
        }
        guard events.count <= Int(UInt32.max) else { return .failed(.invalidAppend(reason: "too many events in one append")) }
        if let commandKey {
            if let request = stagedCommandIDs[commandKey] { return .sameAs(index: request) }
            if let position = index.commandIDs[commandKey] { return .duplicate(position: position, expectedCount: nil) }
        }
        if let retry = idempotentRetry(events: events, index: index) { return retry }
        // Most appends carry one event: no set needed to find ids repeated within the append.
        var seen = events.count > 1 ? Set<EventKey>(minimumCapacity: events.count) : []
        // Events are read in place (`events[offset]`): a copy would retain and release each field.
        for offset in events.indices {
            let eventID = events[offset].eventID
            let key = EventKey(eventID)
            guard events.count == 1 || seen.insert(key).inserted else {
                return .failed(.invalidAppend(reason: "event id \(eventID) appears twice in one append"))
            }
            // The first id was just looked up (staged and stored) by idempotentRetry: skip it;
            // each lookup in the big index is a cache miss.
            if offset > 0, let staged = stagedEventIDs[key] {
                return .failed(.duplicateEventID(eventID: eventID, position: LogPosition(staged.position)))
            }
            if offset > 0, let position = index.eventIDs[key] {
                return .failed(.duplicateEventID(eventID: eventID, position: LogPosition(position)))
            }
            guard RecordEncoder.frameSize(stream: stream, event: events[offset]) != nil else {
                return .failed(.invalidAppend(reason: "event \(eventID) is too large or has a string field over 65535 bytes"))
            }
        }
        let current = stagedVersions[streamKey] ?? index.version(of: streamKey)
        guard expected.isSatisfied(byCurrent: current) else {
            return .failed(.wrongExpectedVersion(stream: stream, expected: expected, current: current))
        }
        let first = nextPosition
        for offset in events.indices {
            stagedEventIDs[EventKey(events[offset].eventID)] = (requestIndex, offset, first + UInt64(offset))
        }
        if let commandKey {
            stagedCommandIDs[commandKey] = requestIndex
        }
        stagedCounts[requestIndex] = events.count
        stagedVersions[streamKey] = current + UInt64(events.count)
        nextPosition += UInt64(events.count)
        return .accepted(firstPosition: first, firstVersion: current + 1)
    }

    /// A retry plan if the first event id is already stored or staged and the others line up with it.
    private func idempotentRetry(events: [EventData], index: borrowing StoreIndex) -> AppendPlan? {
        let firstID = events[0].eventID
        if let staged = stagedEventIDs[EventKey(firstID)] {
            let lineUp = staged.event == 0 && stagedCounts[staged.request] == events.count
                && events.indices.allSatisfy { i in
                    let other = stagedEventIDs[EventKey(events[i].eventID)]
                    return other?.request == staged.request && other?.event == i
                }
            return lineUp ? .sameAs(index: staged.request) : .failed(.duplicateEventID(eventID: firstID, position: LogPosition(staged.position)))
        }
        if let position = index.eventIDs[EventKey(firstID)] {
            let lineUp = events.indices.allSatisfy { i in index.eventIDs[EventKey(events[i].eventID)] == position + UInt64(i) }
            return lineUp ? .duplicate(position: position, expectedCount: events.count) : .failed(.duplicateEventID(eventID: firstID, position: LogPosition(position)))
        }
        return nil
    }

    /// The result of the stored append containing the event at `position`, from that event's
    /// place in its append; nil when a retry by event ids does not match the stored append's size.
    static func storedResult(position: UInt64, appendIndex: UInt32, appendCount: UInt32, streamVersion: UInt64, expectedCount: Int?) -> AppendResult? {
        if let expectedCount, appendIndex != 0 || Int(appendCount) != expectedCount { return nil }
        let first = position - UInt64(appendIndex)
        let last = first + UInt64(appendCount) - 1
        return AppendResult(
            firstPosition: LogPosition(first), lastPosition: LogPosition(last),
            nextExpectedVersion: streamVersion + UInt64(appendCount - 1 - appendIndex)
        )
    }
}
