import SMAEventStore
import SMAProtos
import SMARPC

/// `sma.v1.EventService`: the log for integrators — paged reads and live subscriptions that
/// resume from the last position received with no gap and no duplicate.
struct EventGRPCService: Sma_V1_EventServiceService {
    let store: any EventStore

    func readEvents(request: Sma_V1_ReadEventsRequest, context: ServerContext) async throws -> Sma_V1_ReadEventsResponse {
        guard request.maxCount <= 10_000 else {
            throw RPCError(code: .invalidArgument, message: "max_count must be at most 10000, got \(request.maxCount)",
                           metadata: BadRequestDetail.trailers(field: "max_count", description: "must be 0 (default 1000) to 10000"))
        }
        let maxCount = request.maxCount == 0 ? 1000 : Int(request.maxCount)
        let head = await store.headPosition
        let slice: ReadAllSlice
        do {
            slice = try await store.readAll(from: LogPosition(request.afterPosition + 1), filter: EventMapping.filter(request.filter), maxCount: maxCount)
        } catch {
            throw RPCError(code: .unavailable, message: "Reading the event log failed: \(error)")
        }
        var response = Sma_V1_ReadEventsResponse()
        response.events = slice.events.map(EventMapping.event)
        response.nextAfterPosition = max(request.afterPosition, slice.nextPosition.value == 0 ? 0 : slice.nextPosition.value - 1)
        response.headPosition = head.value
        return response
    }

    func subscribeEvents(
        request: Sma_V1_SubscribeEventsRequest,
        response: RPCWriter<Sma_V1_SubscribeEventsResponse>,
        context: ServerContext
    ) async throws {
        let subscription = store.subscribeToAll(from: LogPosition(request.afterPosition + 1), filter: EventMapping.filter(request.filter))
        for try await message in subscription {
            var item = Sma_V1_SubscribeEventsResponse()
            switch message {
            case .event(let recorded): item.item = .event(EventMapping.event(recorded))
            case .caughtUp(let position): item.item = .caughtUpPosition(position.value)
            }
            try await response.write(item)
        }
        try Task.checkCancellation()
    }
}
