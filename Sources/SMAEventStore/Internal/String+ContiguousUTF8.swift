extension String {
    /// `body` over the string's UTF-8 bytes, read in place when they are contiguous (native
    /// strings): `withUTF8` needs a mutable copy of the string, a retain and a release per call on
    /// the writer's per-event path. Bridged or otherwise non-contiguous strings are copied.
    @inline(__always)
    func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
