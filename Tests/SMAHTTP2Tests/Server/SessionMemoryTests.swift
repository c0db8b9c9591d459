import SMASessionMemory
import Testing

@Suite("Session memory: the per-loop small-block allocator nghttp2 uses")
struct SessionMemoryTests {
    /// Runs `body` with a new pool (as nghttp2's `mem_user_data`), destroyed afterwards.
    static func withPool(_ body: (OpaquePointer, UnsafeMutableRawPointer) throws -> Void) throws {
        let pool = try #require(sma_session_memory_create())
        defer { sma_session_memory_destroy(pool) }
        try body(pool, UnsafeMutableRawPointer(pool))
    }

    @Test("a freed small block is handed out again for any size of its class; large ones go to malloc")
    func reuse() throws {
        try Self.withPool { pool, raw in
            let first = try #require(sma_session_memory_malloc(150, raw))
            #expect(Int(bitPattern: first) % 16 == 0)
            first.initializeMemory(as: UInt8.self, repeating: 1, count: 160)  // the whole class size is usable
            let second = try #require(sma_session_memory_malloc(150, raw))
            #expect(second != first)
            sma_session_memory_free(first, raw)
            #expect(sma_session_memory_cached(pool) == 1)
            #expect(sma_session_memory_malloc(160, raw) == first)  // 145...160 bytes: one class
            #expect(sma_session_memory_cached(pool) == 0)
            let large = try #require(sma_session_memory_malloc(4096, raw))
            large.initializeMemory(as: UInt8.self, repeating: 7, count: 4096)
            sma_session_memory_free(large, raw)
            #expect(sma_session_memory_cached(pool) == 0)
            sma_session_memory_free(first, raw)
            sma_session_memory_free(second, raw)
            sma_session_memory_free(nil, raw)
            #expect(sma_session_memory_cached(pool) == 2)
        }
    }

    @Test("a class that used up its range falls back to malloc, and those blocks go back to free()")
    func exhaustedClass() throws {
        try Self.withPool { pool, raw in
            let perClass = Int(SMA_SESSION_MEMORY_CLASS_BYTES) / 256
            let blocks = (0..<perClass + 100).map { index in
                let block = sma_session_memory_malloc(256, raw)!
                block.storeBytes(of: index, as: Int.self)
                return block
            }
            #expect(Set(blocks).count == blocks.count)
            #expect(blocks.enumerated().allSatisfy { $0.element.load(as: Int.self) == $0.offset })
            for block in blocks { sma_session_memory_free(block, raw) }
            #expect(sma_session_memory_cached(pool) == perClass)
        }
    }

    @Test("calloc zeroes a reused block; realloc keeps the bytes as a block grows across classes and into malloc")
    func callocAndRealloc() throws {
        try Self.withPool { pool, raw in
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
}
