/// A subscription to `$all` or to one stream: an `AsyncSequence` that first catches up from disk,
/// then follows the log live, yielding ``SubscriptionMessage/caughtUp(_:)`` each time it reaches the head.
///
/// Events arrive in log order with no gap and no duplicate. Memory is bounded: the iterator holds at
/// most one page of events, and a consumer that falls behind the store's in-memory tail simply
/// reads from disk again until it catches up. Iteration ends (returns nil) when the task is
/// cancelled, and throws ``EventStoreError/closed(reason:)`` when the store closes.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = SubscriptionMessage
    public typealias Failure = EventStoreError

    /// Events per page read.
    static let pageSize = 512

    let source: any SubscriptionSource
    let target: SubscriptionTarget
    let start: UInt64

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source, target: target, next: start)
    }

    /// Iterates a subscription; not shared between tasks.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = SubscriptionMessage
        public typealias Failure = EventStoreError

        private let source: any SubscriptionSource
        private let target: SubscriptionTarget
        /// The next position (for `$all`) or stream version (for a stream) to deliver.
        private var next: UInt64
        private var page: [RecordedEvent] = []
        private var pageIndex = 0
        private var pendingMarker: UInt64?
        private var isLive = false
        private var finished = false

        init(source: any SubscriptionSource, target: SubscriptionTarget, next: UInt64) {
            self.source = source
            self.target = target
            self.next = next
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(EventStoreError) -> SubscriptionMessage? {
            try await nextMessage(isolation: actor)
        }

        public mutating func next() async throws(EventStoreError) -> SubscriptionMessage? {
            try await nextMessage(isolation: nil)
        }

        private mutating func nextMessage(isolation actor: isolated (any Actor)?) async throws(EventStoreError) -> SubscriptionMessage? {
            while !finished {
                if pageIndex < page.count {
                    defer { pageIndex += 1 }
                    return .event(page[pageIndex])
                }
                if let marker = pendingMarker {
                    pendingMarker = nil
                    return .caughtUp(LogPosition(marker))
                }
                if Task.isCancelled {
                    finished = true
                    return nil
                }
                let read: SubscriptionPage
                do {
                    read = try source.subscriptionPage(target, from: next, maxCount: Self.pageSizeLimit)
                } catch {
                    finished = true
                    throw error
                }
                next = read.next
                page = read.events
                pageIndex = 0
                if read.fromDisk { isLive = false }
                if read.events.isEmpty && !read.reachedEnd {
                    // A rare filter: this page examined its share of the log and matched nothing.
                    // Let the thread's other work run before the next one.
                    await Task.yield()
                    continue
                }
                if read.reachedEnd {
                    if !isLive {
                        isLive = true
                        pendingMarker = read.head
                    } else if read.events.isEmpty {
                        switch await source.waitForHead(beyond: read.head) {
                        case .advanced:
                            continue
                        case .cancelled:
                            finished = true
                            return nil
                        case let .closed(error):
                            finished = true
                            throw error
                        }
                    }
                }
            }
            return nil
        }

        private static var pageSizeLimit: Int { EventSubscription.pageSize }
    }
}
