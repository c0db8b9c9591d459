#if canImport(Glibc)
import Glibc
#endif

/// An open file, closed when the last reference goes: thin throwing wrappers over POSIX calls.
///
/// `Sendable`: the descriptor number is immutable and `pread`/`pwrite`/`fdatasync` are safe to call
/// from several threads on one descriptor; the descriptor is closed only in `deinit`, when no one
/// else can hold it.
final class FileDescriptor: Sendable {
    let fd: Int32
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        Glibc.close(fd)
    }

    /// Opens `path` with `flags` (O_CLOEXEC is added).
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(EventStoreError) -> FileDescriptor {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return FileDescriptor(fd: fd, path: path)
    }

    /// The file's size in bytes.
    func size() throws(EventStoreError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        return UInt64(info.st_size)
    }

    /// Bytes an unprivileged user may still write on the file's filesystem.
    func availableBytes() throws(EventStoreError) -> UInt64 {
        var info = statvfs()
        guard fstatvfs(fd, &info) == 0 else { throw .io(operation: "fstatvfs", path: path, errno: errno) }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (short only at end of file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(EventStoreError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pread", path: path, errno: errno)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(EventStoreError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pwrite", path: path, errno: errno)
            }
            done += result
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(EventStoreError) {
        let result = bytes.withUnsafeBytes { raw -> Result<Void, EventStoreError> in
            do throws(EventStoreError) {
                try write(raw, at: offset)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Flushes the file's data (and the metadata needed to read it back) to disk.
    func syncData() throws(EventStoreError) {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw .io(operation: "fdatasync", path: path, errno: errno) }
        }
    }

    /// Flushes data and all metadata (used for directories).
    func syncAll() throws(EventStoreError) {
        while fsync(fd) != 0 {
            if errno != EINTR { throw .io(operation: "fsync", path: path, errno: errno) }
        }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: UInt64) throws(EventStoreError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw .io(operation: "ftruncate", path: path, errno: errno) }
    }

    /// Takes an exclusive `flock` without waiting; false if someone else holds it.
    func tryLockExclusive() throws(EventStoreError) -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw .io(operation: "flock", path: path, errno: errno)
    }
}
