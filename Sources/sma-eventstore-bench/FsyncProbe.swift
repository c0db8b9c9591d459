import Foundation

/// Measures the disk's own `fdatasync` rate: small writes to a file, each followed by a sync.
enum FsyncProbe {
    /// Syncs per second of `bytes`-byte writes for about `seconds`: appends that extend the file,
    /// or (`preallocated`) overwrites of zeros written and synced beforehand, as the store does.
    static func measure(path: String, bytes: Int, seconds: Double, preallocated: Bool = false) throws -> Double {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer {
            close(fd)
            unlink(path)
        }
        // A failed write or sync would make the rate meaningless: the probe stops with the error.
        func check(_ result: Int) throws {
            guard result >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        }
        if preallocated {
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            for chunk in 0..<64 { try check(zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, zeros.count, off_t(chunk << 20)) }) }
            try check(Int(fdatasync(fd)))
        }
        let block = [UInt8](repeating: 0x5A, count: bytes)
        let start = ContinuousClock.now
        let limit = Duration.milliseconds(Int(seconds * 1000))
        var count = 0
        var offset: off_t = 0
        while ContinuousClock.now - start < limit, !preallocated || offset + off_t(bytes) <= 64 << 20 {
            try check(block.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes, offset) })
            offset += off_t(bytes)
            try check(Int(fdatasync(fd)))
            count += 1
        }
        let elapsed = ContinuousClock.now - start
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
