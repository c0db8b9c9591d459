/// A FIFO of framed response messages that needs no allocation for the usual single message.
struct OutboundQueue {
    private var head: [UInt8]?
    private var rest: [[UInt8]] = []
    private var restIndex = 0

    var isEmpty: Bool { head == nil }
    var first: [UInt8]? { head }

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
