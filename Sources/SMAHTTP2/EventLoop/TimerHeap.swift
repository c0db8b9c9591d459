import Glibc
import SMARPC

/// A binary min-heap of timers owned by one loop thread.
///
/// Cancelling is O(1): the timer's closure is dropped at once (releasing what it holds) and
/// its heap entry is skipped when it comes up; when cancelled entries outnumber live ones the
/// heap is rebuilt, so a loop finishing many calls with deadlines neither scans the heap per
/// call nor keeps dead entries for as long as their deadlines.
///
/// Closures live in reused slots, not in a dictionary: a timer's ID is its slot and a serial
/// number unique to the timer, so scheduling, cancelling and skipping a dead entry index an
/// array instead of hashing (every call with a `grpc-timeout` schedules one timer and cancels it).
struct TimerHeap {
    /// A timer: its slot (low 24 bits) and its serial number (high 40 bits). Serials are unique
    /// per timer until they wrap after 2^40 timers, far more than the few cancellations
    /// (fewer than live + 64) that a dead heap entry can outlast before compaction drops it, so
    /// a stale id or entry never matches the slot's next timer.
    typealias ID = UInt64
    private static let slotBits: UInt64 = 24
    private static let slotMask: UInt64 = (1 << slotBits) - 1

    private struct Entry {
        var deadline: UInt64
        var id: ID
    }

    private struct Slot {
        /// The serial of the slot's pending timer, 0 when the slot is free.
        var serial: UInt64 = 0
        var body: (() -> Void)?
    }

    private var heap: [Entry] = []
    private var slots: [Slot] = []
    private var freeSlots: [UInt32] = []
    private var live = 0
    private var nextSerial: UInt64 = 1

    /// Whether no timer is pending.
    var isEmpty: Bool { live == 0 }

    /// The number of pending timers.
    var count: Int { live }

    /// Heap entries, cancelled ones not yet dropped included (bounded by compaction).
    var storedEntries: Int { heap.count }

    mutating func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> ID {
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(slot)].body = body
        } else {
            precondition(UInt64(slots.count) < Self.slotMask, "more than 2^24 pending timers on one loop")
            slot = UInt32(slots.count)
            slots.append(Slot(serial: 0, body: body))
        }
        live += 1
        let serial = nextSerial & ((1 << (64 - Self.slotBits)) - 1)
        nextSerial = serial == (1 << (64 - Self.slotBits)) - 1 ? 1 : serial + 1  // 0 marks a free slot
        slots[Int(slot)].serial = serial
        let id = serial << Self.slotBits | UInt64(slot)
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    /// Removes a pending timer (and releases what its closure holds).
    mutating func cancel(_ id: ID) {
        guard take(id) != nil else { return }
        if heap.count > 64 && heap.count > 2 * live { compact() }
    }

    /// The timer's closure, removed from its slot (which is freed), or nil when the timer
    /// already fired or was cancelled.
    private mutating func take(_ id: ID) -> (() -> Void)? {
        guard isPending(id) else { return nil }
        let slot = Int(id & Self.slotMask)
        let body = slots[slot].body
        slots[slot].body = nil
        slots[slot].serial = 0
        freeSlots.append(UInt32(slot))
        live -= 1
        return body
    }

    private static func matches(_ id: ID, _ slots: [Slot]) -> Bool {
        let slot = Int(id & slotMask)
        return slot < slots.count && slots[slot].serial == id >> slotBits
    }

    private func isPending(_ id: ID) -> Bool {
        Self.matches(id, slots)
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
            if let body = take(first.id) { return body }
        }
        return nil
    }

    private mutating func dropCancelledFirst() {
        while let first = heap.first, !isPending(first.id) { popFirst() }
    }

    /// Rebuilds the heap from its live entries.
    private mutating func compact() {
        let slots = self.slots
        heap.removeAll { !Self.matches($0.id, slots) }
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
