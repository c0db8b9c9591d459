import Glibc

/// Monotonic nanoseconds.
enum MonotonicClock {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A binary min-heap of timers owned by one loop thread. Cancelled timers are skipped when due.
struct TimerHeap {
    typealias ID = UInt64
    private struct Entry {
        var deadline: UInt64
        var id: ID
        var body: () -> Void
    }

    private var heap: [Entry] = []
    private var nextID: ID = 1

    var isEmpty: Bool { heap.isEmpty }

    mutating func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> ID {
        let id = nextID
        nextID += 1
        heap.append(Entry(deadline: deadline, id: id, body: body))
        siftUp(heap.count - 1)
        return id
    }

    /// Removes a pending timer (and releases what its closure holds).
    mutating func cancel(_ id: ID) {
        guard let index = heap.firstIndex(where: { $0.id == id }) else { return }
        heap.swapAt(index, heap.count - 1)
        heap.removeLast()
        if index < heap.count {
            siftDown(index)
            siftUp(index)
        }
    }

    /// Milliseconds until the next timer (rounded up), -1 when there is none.
    func timeoutMilliseconds(now: UInt64) -> Int32 {
        guard let first = heap.first else { return -1 }
        if first.deadline <= now { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Removes and returns the next due timer's body; the caller runs it outside this
    /// mutation, so a body may schedule or cancel timers.
    mutating func popDue(now: UInt64) -> (() -> Void)? {
        guard let first = heap.first, first.deadline <= now else { return nil }
        return popFirst().body
    }

    private mutating func popFirst() -> Entry {
        heap.swapAt(0, heap.count - 1)
        let entry = heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
        return entry
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
