import SMAEventStore
import SMAProtos
import SMARPC

/// `sma.v1.EventService`: the log for integrators — paged reads and live subscriptions that
/// resume from the last position received with no gap and no duplicate.
struct EventGRPCService: Sma_V1_EventServiceService {
    let store: any EventStore
    /// Live subscriptions end with UNAVAILABLE as soon as shutdown begins (see ``ShutdownNotice``).
    let shutdown: ShutdownNotice

    func readEvents(request: Sma_V1_ReadEventsRequest, context: ServerContext) async throws -> Sma_V1_ReadEventsResponse {
        guard request.maxCount <= 10_000 else {
            throw RPCError(code: .invalidArgument, message: "max_count must be at most 10000, got \(request.maxCount)",
                           metadata: BadRequestDetail.trailers(field: "max_count", description: "must be 0 (default 1000) to 10000"))
        }
        let maxCount = request.maxCount == 0 ? 1000 : Int(request.maxCount)
        let start = try Self.position(after: request.afterPosition)
        let head = await store.headPosition
        let slice: ReadAllSlice
        do {
            slice = try await store.readAll(from: start, filter: EventMapping.filter(request.filter), maxCount: maxCount)
        } catch {
            throw RPCError(code: .unavailable, message: "Reading the event log failed: \(error)")
        }
        // A page also ends at about `pageByteBudget` (with at least one event), so that it fits the
        // 4 MiB default message limit of gRPC clients whatever the events' sizes.
        var included = 0, bytes = 0
        for event in slice.events {
            bytes += EventMapping.encodedSizeEstimate(event)
            if included > 0 && bytes > Self.pageByteBudget { break }
            included += 1
        }
        var response = Sma_V1_ReadEventsResponse()
        response.events = slice.events[..<included].map(EventMapping.event)
        if included < slice.events.count {
            response.nextAfterPosition = slice.events[included - 1].position.value
        } else {
            response.nextAfterPosition = max(request.afterPosition, slice.nextPosition.value == 0 ? 0 : slice.nextPosition.value - 1)
        }
        response.headPosition = head.value
        return response
    }

    /// The most a ReadEvents page holds, in (estimated) encoded bytes, unless one event is larger.
    static let pageByteBudget = 1 << 20

    func subscribeEvents(
        request: Sma_V1_SubscribeEventsRequest,
        response: RPCWriter<Sma_V1_SubscribeEventsResponse>,
        context: ServerContext
    ) async throws {
        let start = try Self.position(after: request.afterPosition)
        let filter = EventMapping.filter(request.filter)
        let store = store, shutdown = shutdown
        // The stream races the shutdown notice; whichever ends first cancels the other.
        let shuttingDown = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await message in store.subscribeToAll(from: start, filter: filter) {
                    var item = Sma_V1_SubscribeEventsResponse()
                    switch message {
                    case .event(let recorded): item.item = .event(EventMapping.event(recorded))
                    case .caughtUp(let position): item.item = .caughtUpPosition(position.value)
                    }
                    try await response.write(item)
                }
                return false
            }
            group.addTask {
                await shutdown.wait()
                return shutdown.hasBegun
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        if shuttingDown {
            throw RPCError(code: .unavailable, message: "The server is shutting down: subscribe again with after_position = the last position received to continue without a gap")
        }
        try Task.checkCancellation()
    }

    /// The first position after `after_position`. There is none after the largest position: a
    /// client sending it gets INVALID_ARGUMENT (it used to overflow and end the process).
    static func position(after position: UInt64) throws(RPCError) -> LogPosition {
        guard position < UInt64.max else {
            throw RPCError(code: .invalidArgument, message: "after_position must be below \(UInt64.max), got \(position)",
                           metadata: BadRequestDetail.trailers(field: "after_position",
                                                               description: "a position received earlier (next_after_position or an event's position), or 0 for the start"))
        }
        return LogPosition(position + 1)
    }
}
