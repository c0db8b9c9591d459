import Glibc

/// Monotonic nanoseconds.
enum MonotonicClock {
    static var now: UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A binary min-heap of timers owned by one loop thread.
///
/// Cancelling is O(1): the timer's closure is dropped at once (releasing what it holds) and
/// its heap entry is skipped when it comes up; when cancelled entries outnumber live ones the
/// heap is rebuilt, so a loop finishing many calls with deadlines neither scans the heap per
/// call nor keeps dead entries for as long as their deadlines.
struct TimerHeap {
    typealias ID = UInt64
    private struct Entry {
        var deadline: UInt64
        var id: ID
    }

    private var heap: [Entry] = []
    /// A timer's closure in a struct: stored bare as a dictionary value, a function is
    /// re-abstracted for the generic storage, which allocates a thunk context per timer.
    private struct Body {
        let run: () -> Void
    }

    private var bodies: [ID: Body] = [:]
    private var nextID: ID = 1

    /// Whether no timer is pending.
    var isEmpty: Bool { bodies.isEmpty }

    /// The number of pending timers.
    var count: Int { bodies.count }

    /// Heap entries, cancelled ones not yet dropped included (bounded by compaction).
    var storedEntries: Int { heap.count }

    mutating func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> ID {
        let id = nextID
        nextID += 1
        bodies[id] = Body(run: body)
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    /// Removes a pending timer (and releases what its closure holds).
    mutating func cancel(_ id: ID) {
        guard bodies.removeValue(forKey: id) != nil else { return }
        if heap.count > 64 && heap.count > 2 * bodies.count { compact() }
    }

    /// Milliseconds until the next timer (rounded up), -1 when there is none.
    mutating func timeoutMilliseconds(now: UInt64) -> Int32 {
        dropCancelledFirst()
        guard let first = heap.first else { return -1 }
        if first.deadline <= now { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Removes and returns the next due timer's body; the caller runs it outside this
    /// mutation, so a body may schedule or cancel timers.
    mutating func popDue(now: UInt64) -> (() -> Void)? {
        while let first = heap.first, first.deadline <= now {
            popFirst()
            if let body = bodies.removeValue(forKey: first.id) { return body.run }
        }
        return nil
    }

    private mutating func dropCancelledFirst() {
        while let first = heap.first, bodies[first.id] == nil { popFirst() }
    }

    /// Rebuilds the heap from its live entries.
    private mutating func compact() {
        heap.removeAll { bodies[$0.id] == nil }
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func popFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
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
