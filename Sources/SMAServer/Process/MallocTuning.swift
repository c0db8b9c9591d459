import Glibc

/// glibc's per-thread cache holds 7 chunks per size class by default. A loop that answers a
/// burst of a few hundred calls frees a few hundred same-sized blocks (tasks, task-allocator
/// slabs, nghttp2 frames) at once, overflows that cache and falls into the slow
/// malloc/free paths (≈15% of a unary call's CPU, measured with perf). glibc reads its
/// tunables only at process start, so the server re-executes itself once with a larger cache.
public enum MallocTuning {
    static let tunables = "glibc.malloc.tcache_count=512:glibc.malloc.tcache_max=4096"

    /// Re-executes the process with the tunables set, unless they are set already (or the
    /// operator set `GLIBC_TUNABLES` or `SMA_NO_MALLOC_TUNING` themselves). Returns on failure.
    public static func reexecIfNeeded() {
        guard getenv("GLIBC_TUNABLES") == nil, getenv("SMA_NO_MALLOC_TUNING") == nil else { return }
        setenv("GLIBC_TUNABLES", tunables, 1)
        let arguments = CommandLine.unsafeArgv
        execv("/proc/self/exe", arguments)
        // execv only returns on failure: carry on untuned.
        unsetenv("GLIBC_TUNABLES")
    }
}
