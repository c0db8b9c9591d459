import Glibc

/// A connection's outgoing bytes between nghttp2 and `send`: appended frame by frame from
/// `nghttp2_session_mem_send`, written from `offset` on.
///
/// Raw memory rather than `[UInt8]`: a call's three frames were three generic
/// `Array.append(contentsOf:)`s (uniqueness and capacity checks, a sequence copy; 1.1% of a unary
/// call's CPU); here an append is a bounds check and a `memcpy`. Grows like an array from the
/// first append's size, so an idle connection keeps only what it last needed.
struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    /// Bytes appended.
    private(set) var count = 0
    /// Bytes already written.
    var offset = 0

    init() {}

    deinit { base?.deallocate() }

    /// Bytes appended and not yet written.
    var pending: Int { count - offset }

    mutating func append(_ bytes: UnsafeRawPointer, count length: Int) {
        if count + length > capacity { grow(toAtLeast: count + length) }
        (base.unsafelyUnwrapped + count).copyMemory(from: bytes, byteCount: length)
        count += length
    }

    /// The unwritten bytes, for `send`.
    func withPendingBytes<R>(_ body: (UnsafeRawPointer, Int) -> R) -> R {
        body(UnsafeRawPointer(base.unsafelyUnwrapped) + offset, count - offset)
    }

    /// Everything was written: empty, keeping the memory unless it grew beyond `keepLimit`.
    mutating func reset(keepLimit: Int) {
        count = 0
        offset = 0
        if capacity > keepLimit {
            base?.deallocate()
            base = nil
            capacity = 0
        }
    }

    private mutating func grow(toAtLeast needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        if let base {
            newBase.copyMemory(from: base, byteCount: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
