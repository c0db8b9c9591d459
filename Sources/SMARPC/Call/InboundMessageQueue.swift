import Synchronization

/// Request messages received for a streaming call, waiting for the handler.
///
/// The transport pushes raw messages; the handler pulls them. Memory is bounded by HTTP/2
/// flow control: the transport only opens the window again (``onConsumed``) once the handler
/// has taken a message.
public final class InboundMessageQueue: Sendable {
    private struct State: Sendable {
        var messages: [[UInt8]] = []
        /// Bytes each queued message took on the wire (prefix, possibly compressed body).
        var wireSizes: [Int] = []
        var head = 0
        var end: Result<Void, RPCError>?
        var waiter: UnsafeContinuation<[UInt8]?, any Error>?
    }

    private let state = Mutex(State())
    /// Called with the byte count of every message the handler takes.
    private let onConsumed: @Sendable (Int) -> Void

    public init(onConsumed: @escaping @Sendable (Int) -> Void) {
        self.onConsumed = onConsumed
    }

    /// Delivers one message (transport side). `wireSize` is what it took on the wire (the
    /// 5-byte prefix plus the possibly compressed body): that is what flow control re-opens.
    public func push(_ message: [UInt8], wireSize: Int? = nil) {
        let wireSize = wireSize ?? message.count + MessageFramer.prefixSize
        let waiter: UnsafeContinuation<[UInt8]?, any Error>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            state.wireSizes.append(wireSize)
            return nil
        }
        if let waiter {
            onConsumed(wireSize)
            waiter.resume(returning: message)
        }
    }

    /// Ends the stream of messages, successfully or with an error (transport side).
    public func finish(_ result: Result<Void, RPCError>) {
        let waiter: UnsafeContinuation<[UInt8]?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = result
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        switch result {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    /// The next message, or `nil` at the end of the stream (handler side).
    public func next() async throws -> [UInt8]? {
        if let ready = try takeReady() { return ready.message }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[UInt8]?, any Error>) in
                enum Action { case resume([UInt8]?, wireSize: Int), fail(any Error), wait }
                let action: Action = state.withLock { state in
                    if state.head < state.messages.count {
                        let message = state.messages[state.head]
                        let wireSize = state.wireSizes[state.head]
                        state.head += 1
                        return .resume(message, wireSize: wireSize)
                    }
                    switch state.end {
                    case .success: return .resume(nil, wireSize: 0)
                    case .failure(let error): return .fail(error)
                    case nil:
                        state.waiter = continuation
                        return .wait
                    }
                }
                switch action {
                case .resume(let message, let wireSize):
                    if message != nil { onConsumed(wireSize) }
                    continuation.resume(returning: message)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            finish(.failure(RPCError(code: .cancelled, message: "The call was cancelled")))
        }
    }

    private struct Ready { var message: [UInt8]?; var wireSize = 0 }

    private func takeReady() throws -> Ready? {
        let ready: Ready? = try state.withLock { state in
            if state.head < state.messages.count {
                let message = state.messages[state.head]
                let wireSize = state.wireSizes[state.head]
                state.head += 1
                if state.head == state.messages.count {
                    state.messages.removeAll(keepingCapacity: true)
                    state.wireSizes.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return Ready(message: message, wireSize: wireSize)
            }
            switch state.end {
            case .success: return Ready(message: nil)
            case .failure(let error): throw error
            case nil: return nil
            }
        }
        if let ready, ready.message != nil { onConsumed(ready.wireSize) }
        return ready
    }
}
