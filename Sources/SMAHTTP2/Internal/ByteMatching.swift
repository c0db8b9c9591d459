import Glibc

extension UnsafeRawBufferPointer {
    /// Byte-wise equality with a static ASCII string, without building a `String`.
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, literal.utf8Start, count) == 0)
    }
}
