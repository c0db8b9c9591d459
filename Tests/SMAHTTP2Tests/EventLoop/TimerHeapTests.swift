@testable import SMAHTTP2
import Testing

@Suite("TimerHeap: ordering, O(1) cancellation, compaction")
struct TimerHeapTests {
    final class Token {}

    @Test("due timers pop in deadline order; cancelled ones never fire")
    func orderAndCancel() {
        var heap = TimerHeap()
        var fired: [Int] = []
        var ids: [TimerHeap.ID] = []
        for deadline in [50, 10, 40, 20, 30] {
            ids.append(heap.schedule(at: UInt64(deadline)) { fired.append(deadline) })
        }
        heap.cancel(ids[2])  // 40
        heap.cancel(ids[2])  // twice: no effect
        #expect(heap.count == 4)
        #expect(heap.timeoutMilliseconds(now: 0) == 1)
        while let body = heap.popDue(now: 35) { body() }
        #expect(fired == [10, 20, 30])
        while let body = heap.popDue(now: 100) { body() }
        #expect(fired == [10, 20, 30, 50])
        #expect(heap.isEmpty)
        #expect(heap.timeoutMilliseconds(now: 100) == -1)
    }

    @Test("cancelling releases the closure at once, and many cancellations compact the heap")
    func cancelReleasesAndCompacts() {
        var heap = TimerHeap()
        weak var released: Token?
        do {
            let token = Token()
            released = token
            let id = heap.schedule(at: 1_000_000_000) { _ = token }
            heap.cancel(id)
        }
        #expect(released == nil)
        // 10,000 calls with long deadlines, each finishing (cancel) before the next: the live
        // timer stays first and no cancelled entry is ever due.
        var fired = 0
        let keep = heap.schedule(at: 5_000_000) { fired += 1 }
        for i in 0..<10_000 {
            let id = heap.schedule(at: UInt64(10_000_000 + i)) { fired += 100 }
            heap.cancel(id)
        }
        #expect(heap.count == 1)
        #expect(heap.storedEntries <= 130, "cancelled entries are compacted away, not kept until their deadlines")
        #expect(heap.timeoutMilliseconds(now: 0) == 5)
        while let body = heap.popDue(now: .max) { body() }
        #expect(fired == 1)
        _ = keep
    }

    @Test("a slot reused by a new timer is not cancelled or fired through the old timer's id")
    func reusedSlot() {
        var heap = TimerHeap()
        var fired: [String] = []
        let old = heap.schedule(at: 10) { fired.append("old") }
        heap.cancel(old)
        let new = heap.schedule(at: 20) { fired.append("new") }  // takes the freed slot
        #expect(old != new)
        heap.cancel(old)  // stale: must not touch the new timer
        #expect(heap.count == 1)
        // The old timer's heap entry (deadline 10) comes up first and is skipped.
        while let body = heap.popDue(now: 15) { body() }
        #expect(fired.isEmpty)
        while let body = heap.popDue(now: 25) { body() }
        #expect(fired == ["new"])
        heap.cancel(new)  // already fired: no effect
        #expect(heap.isEmpty)
    }
}
