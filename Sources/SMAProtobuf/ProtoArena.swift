import CProtobufC

/// Scratch memory for one encode or decode: a bump allocator over a stack slab that spills into
/// heap chunks, all released at once when the operation ends.
///
/// Every C structure of one operation (the message structs, strings, arrays, and protobuf-c's
/// own unpack allocations) lives here, so small messages need no `malloc` at all.
public struct ProtoArena {
    @usableFromInline
    struct State {
        @usableFromInline var cursor: UnsafeMutableRawPointer
        @usableFromInline var end: UnsafeMutableRawPointer
        /// Heap chunks, linked through their first word.
        @usableFromInline var chunks: UnsafeMutableRawPointer?
        @usableFromInline var nextChunkSize: Int

        @inlinable
        init(cursor: UnsafeMutableRawPointer, end: UnsafeMutableRawPointer, nextChunkSize: Int) {
            self.cursor = cursor
            self.end = end
            self.chunks = nil
            self.nextChunkSize = nextChunkSize
        }
    }

    @usableFromInline let state: UnsafeMutablePointer<State>

    @inlinable
    init(state: UnsafeMutablePointer<State>) {
        self.state = state
    }

    /// Bytes of the stack slab (withUnsafeTemporaryAllocation always uses the stack up to 1 KiB).
    @usableFromInline static let slabSize = 1024
    @usableFromInline static let alignment = 8

    /// Runs `body` with a fresh arena and frees all its memory afterwards.
    /// - Parameter expectedBytes: a size hint for the first heap chunk, if the slab is not enough.
    @inlinable
    static func with<Result, Failure: Error>(
        expectedBytes: Int, _ body: (ProtoArena) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeTemporaryAllocation(byteCount: slabSize, alignment: 16) {
            (slab) throws(Failure) -> Result in
            let base = slab.baseAddress.unsafelyUnwrapped
            #if DEBUG
            // Debug builds poison scratch memory, so a slot the bridge forgets to store shows up in tests.
            base.initializeMemory(as: UInt8.self, repeating: 0xA5, count: slabSize)
            #endif
            let headerSize = (MemoryLayout<State>.stride + 15) & ~15
            let state = base.bindMemory(to: State.self, capacity: 1)
            state.initialize(
                to: State(
                    cursor: base + headerSize, end: base + slabSize,
                    nextChunkSize: max(4096, expectedBytes)))
            defer { ProtoArena(state: state).releaseChunks() }
            return try body(ProtoArena(state: state))
        }
    }

    /// `size` bytes aligned to 8, uninitialized.
    @inlinable
    func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let rounded = (size + Self.alignment - 1) & ~(Self.alignment - 1)
        let cursor = state.pointee.cursor
        if cursor.distance(to: state.pointee.end) >= rounded {
            state.pointee.cursor = cursor + rounded
            return cursor
        }
        return allocateChunk(rounded)
    }

    @usableFromInline
    func allocateChunk(_ size: Int) -> UnsafeMutableRawPointer {
        let header = 16
        let chunkSize = max(size + header, state.pointee.nextChunkSize)
        state.pointee.nextChunkSize = chunkSize * 2
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
        #if DEBUG
        chunk.initializeMemory(as: UInt8.self, repeating: 0xA5, count: chunkSize)
        #endif
        chunk.storeBytes(of: state.pointee.chunks, as: UnsafeMutableRawPointer?.self)
        state.pointee.chunks = chunk
        state.pointee.cursor = chunk + header + size
        state.pointee.end = chunk + chunkSize
        return chunk + header
    }

    @usableFromInline
    func releaseChunks() {
        var next = state.pointee.chunks
        while let chunk = next {
            next = chunk.load(as: UnsafeMutableRawPointer?.self)
            chunk.deallocate()
        }
        state.pointee.chunks = nil
    }

    /// A C message struct initialized to its defaults by the descriptor's `message_init`.
    @inlinable
    func newMessage(_ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> UnsafeMutableRawPointer {
        let message = allocate(descriptor.pointee.sizeof_message)
        descriptor.pointee.message_init.unsafelyUnwrapped(message.assumingMemoryBound(to: ProtobufCMessage.self))
        return message
    }

    /// A NUL-terminated copy of the string's UTF-8 (protobuf-c strings stop at the first NUL).
    @inlinable
    func copyCString(_ string: String) -> UnsafeMutableRawPointer {
        var string = string
        return string.withUTF8 { utf8 in
            let copy = allocate(utf8.count + 1)
            if let source = utf8.baseAddress {
                copy.copyMemory(from: source, byteCount: utf8.count)
            }
            copy.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            return copy
        }
    }

    /// A copy of `bytes`.
    @inlinable
    func copyBytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let copy = allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            copy.copyMemory(from: source.baseAddress.unsafelyUnwrapped, byteCount: source.count)
        }
        return copy.assumingMemoryBound(to: UInt8.self)
    }

    /// Bytes before each block allocated for protobuf-c's unpack, holding the block's size.
    @usableFromInline static let sizeHeader = 8

    /// The size protobuf-c asked for when it allocated `block` during ``unpack(_:_:)``.
    @inlinable
    static func allocatedSize(of block: UnsafeRawPointer) -> Int {
        block.load(fromByteOffset: -sizeHeader, as: Int.self)
    }

    /// Unpacks `bytes` with protobuf-c, allocating from this arena; `nil` when the bytes are invalid.
    @usableFromInline
    func unpack(
        _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>, _ bytes: UnsafeRawBufferPointer
    ) -> UnsafeRawPointer? {
        var allocator = ProtobufCAllocator(
            alloc: { data, size in
                // Each block records its size in the 8 bytes before it: protobuf-c keeps strings
                // as NUL-terminated `char *`, and the size is how a decoder tells an embedded NUL
                // (which would silently truncate the string) from the terminator.
                let block = ProtoArena(state: data.unsafelyUnwrapped.assumingMemoryBound(to: State.self)).allocate(size + Self.sizeHeader)
                block.storeBytes(of: size, as: Int.self)
                return block + Self.sizeHeader
            },
            free: { _, _ in },  // everything goes when the arena does
            allocator_data: UnsafeMutableRawPointer(state))
        var empty: UInt8 = 0
        return withUnsafeMutablePointer(to: &empty) { emptyPointer in
            let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyPointer)
            return protobuf_c_message_unpack(descriptor, &allocator, bytes.count, data).map { UnsafeRawPointer($0) }
        }
    }
}
