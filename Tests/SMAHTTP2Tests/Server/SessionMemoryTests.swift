import SMASessionMemory
import Testing

@Suite("Session memory: the per-loop free-list cache nghttp2 allocates from")
struct SessionMemoryTests {
    @Test("a freed small block is handed out again for a size of its class; large ones are not cached")
    func reuse() throws {
        let pool = try #require(sma_session_memory_create())
        defer { sma_session_memory_destroy(pool) }
        let raw = UnsafeMutableRawPointer(pool)
        let first = try #require(sma_session_memory_malloc(150, raw))
        #expect(Int(bitPattern: first) % 16 == 0)
        sma_session_memory_free(first, raw)
        #expect(sma_session_memory_cached(pool) == 1)
        // 145...160 bytes share a class: the same block comes back.
        #expect(sma_session_memory_malloc(160, raw) == first)
        #expect(sma_session_memory_cached(pool) == 0)
        let other = try #require(sma_session_memory_malloc(161, raw))
        #expect(other != first)
        let large = try #require(sma_session_memory_malloc(4096, raw))
        large.initializeMemory(as: UInt8.self, repeating: 7, count: 4096)
        sma_session_memory_free(large, raw)
        #expect(sma_session_memory_cached(pool) == 0)
        sma_session_memory_free(first, raw)
        sma_session_memory_free(other, raw)
        sma_session_memory_free(nil, raw)
        #expect(sma_session_memory_cached(pool) == 2)
    }

    @Test("each class caches a bounded number of blocks")
    func bounded() throws {
        let pool = try #require(sma_session_memory_create())
        defer { sma_session_memory_destroy(pool) }
        let raw = UnsafeMutableRawPointer(pool)
        let count = Int(SMA_SESSION_MEMORY_MAX_CACHED) + 100
        let blocks = (0..<count).map { _ in sma_session_memory_malloc(40, raw)! }
        for block in blocks { sma_session_memory_free(block, raw) }
        #expect(sma_session_memory_cached(pool) == Int(SMA_SESSION_MEMORY_MAX_CACHED))
    }

    @Test("calloc zeroes a reused block; realloc keeps the bytes when it grows a block across classes and sizes")
    func callocAndRealloc() throws {
        let pool = try #require(sma_session_memory_create())
        defer { sma_session_memory_destroy(pool) }
        let raw = UnsafeMutableRawPointer(pool)
        let dirty = try #require(sma_session_memory_malloc(64, raw))
        dirty.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 64)
        sma_session_memory_free(dirty, raw)
        let zeroed = try #require(sma_session_memory_calloc(8, 8, raw))
        #expect(zeroed == dirty)
        #expect(UnsafeRawBufferPointer(start: zeroed, count: 64).allSatisfy { $0 == 0 })
        #expect(sma_session_memory_calloc(Int.max, 2, raw) == nil)

        var block = try #require(sma_session_memory_malloc(10, raw))
        for i in 0..<10 { block.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
        #expect(sma_session_memory_realloc(block, 16, raw) == block)  // fits its class
        for size in [200, 300, 5000, 100] {
            block = try #require(sma_session_memory_realloc(block, size, raw))
            #expect((0..<10).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
        }
        sma_session_memory_free(block, raw)
        let fresh = try #require(sma_session_memory_realloc(nil, 32, raw))
        sma_session_memory_free(fresh, raw)
    }
}
