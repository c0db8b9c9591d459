import Foundation

/// A process manager's durable position in the log: the last event it fully handled.
///
/// Written to a temporary file, fsynced, then renamed over the old one, so a crash leaves
/// either the old or the new position — never a torn file. A crash between handling an event
/// and saving the checkpoint replays that event; the commands it issues are idempotent.
public struct ProcessCheckpoint: Sendable {
    public let path: String

    public init(directory: String, name: String) {
        path = (directory as NSString).appendingPathComponent("\(name).checkpoint")
    }

    /// The saved position, 0 when none was saved yet.
    public func load() throws -> UInt64 {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = UInt64(text) else {
            throw CheckpointError(path: path, reason: "contains '\(text)', expected a log position")
        }
        return value
    }

    /// Saves `position` durably.
    public func save(_ position: UInt64) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CheckpointError(path: temporary, reason: String(cString: strerror(errno))) }
        let bytes = Array("\(position)\n".utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        let failure = errno
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw CheckpointError(path: temporary, reason: String(cString: strerror(written < 0 || synced != 0 ? failure : EIO)))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CheckpointError(path: path, reason: reason)
        }
        // The rename is durable only once the directory entry is on disk.
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }
}

/// A checkpoint file could not be read or written.
public struct CheckpointError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "process checkpoint \(path): \(reason)" }
}
