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
    private var cancelled = Set<ID>()

    var isEmpty: Bool { heap.isEmpty }

    mutating func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> ID {
        let id = nextID
        nextID += 1
        heap.append(Entry(deadline: deadline, id: id, body: body))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: ID) {
        if heap.contains(where: { $0.id == id }) { cancelled.insert(id) }
    }

    /// Milliseconds until the next timer (rounded up), -1 when there is none.
    func timeoutMilliseconds(now: UInt64) -> Int32 {
        guard let first = heap.first else { return -1 }
        if first.deadline <= now { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Runs every due timer.
    mutating func fire(now: UInt64) {
        while let first = heap.first, first.deadline <= now {
            let entry = popFirst()
            if cancelled.remove(entry.id) != nil { continue }
            entry.body()
        }
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
