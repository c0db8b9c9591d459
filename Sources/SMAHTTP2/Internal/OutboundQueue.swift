/// A FIFO of framed response messages that needs no allocation for the usual single message.
struct OutboundQueue {
    private var head: [UInt8]?
    private var rest: [[UInt8]] = []
    private var restIndex = 0

    var isEmpty: Bool { head == nil }

    /// Copies up to `count` bytes of the first message, from byte `offset` on, to `destination`
    /// (in place: reading `first` would retain and release the message); returns how many.
    mutating func copyFirst(from offset: Int, to destination: UnsafeMutablePointer<UInt8>, count: Int) -> (copied: Int, firstLength: Int) {
        guard let length = head?.count else { return (0, 0) }
        let copied = min(count, length - offset)
        head!.withUnsafeBufferPointer { bytes in
            destination.update(from: bytes.baseAddress.unsafelyUnwrapped + offset, count: copied)
        }
        return (copied, length)
    }

    mutating func append(_ message: [UInt8]) {
        if head == nil {
            head = message
        } else {
            rest.append(message)
        }
    }

    mutating func removeFirst() {
        if restIndex < rest.count {
            head = rest[restIndex]
            restIndex += 1
            if restIndex == rest.count {
                rest.removeAll(keepingCapacity: true)
                restIndex = 0
            }
        } else {
            head = nil
        }
    }
}
