import CJemalloc

/// The process's memory allocator: jemalloc, linked into the executables in place of glibc's malloc
/// (Debian's `libjemalloc2`; the executable's link to it puts its `malloc` first in symbol
/// lookup, for Swift's runtime, nghttp2 and protobuf-c alike).
///
/// Why: the memory of every append (the request, its events and payloads, the completion) is
/// allocated on an event loop and freed on the event store's writer thread. glibc's per-thread
/// caches hand a freed block back only to the thread that freed it, so the loop always missed
/// its cache and took the arena's slow path while the writer's cache overflowed: malloc and free
/// were ~10% of a command's CPU. jemalloc returns such blocks to their arena in batches:
/// −12–17% CPU per command, same-moment A/B (docs/benchmarks.md, ninth session).
public enum Allocator {
    /// What serves this process's allocations: `jemalloc <version>` when jemalloc does (checked:
    /// a Swift allocation must show in jemalloc's per-thread counter), else `system malloc`
    /// (e.g. another allocator preloaded in front of it).
    public static func describe() -> String {
        guard servesSwiftAllocations(), let version = string("version") else { return "system malloc" }
        return "jemalloc " + (version.split(separator: "-").first.map(String.init) ?? version)
    }

    private static func servesSwiftAllocations() -> Bool {
        guard let before = threadAllocated() else { return false }
        let probe = [UInt8](repeating: 1, count: 4096)
        let after = withExtendedLifetime(probe) { threadAllocated() }
        return (after ?? before) >= before + 4096
    }

    private static func threadAllocated() -> UInt64? {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        return mallctl("thread.allocated", &value, &size, nil, 0) == 0 ? value : nil
    }

    private static func string(_ name: String) -> String? {
        var value: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl(name, &value, &size, nil, 0) == 0, let value else { return nil }
        return String(cString: value)
    }
}
