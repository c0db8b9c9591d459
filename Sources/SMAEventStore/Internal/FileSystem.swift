#if canImport(Glibc)
import Glibc
#endif

/// Directory-level helpers: create, list, fsync a directory, rename, remove.
enum FileSystem {
    /// Creates `path` as a directory if it does not exist.
    static func makeDirectory(_ path: String) throws(EventStoreError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// The names in directory `path` (without `.` and `..`).
    static func list(_ path: String) throws(EventStoreError) -> [String] {
        guard let dir = opendir(path) else { throw .io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Makes the directory entries of `path` durable (after creating or renaming files in it).
    static func syncDirectory(_ path: String) throws(EventStoreError) {
        let dir = try FileDescriptor.open(path, flags: O_RDONLY | O_DIRECTORY)
        try dir.syncAll()
    }

    /// Replaces `directory/name` durably and atomically: `write` fills a temporary file, which
    /// is synced, renamed over the old one, and the directory synced. A crash leaves either the
    /// old file or the new one (and perhaps a `.tmp`), never a partial one.
    static func replaceDurably(_ name: String, in directory: String, write: (FileDescriptor) throws(EventStoreError) -> Void) throws(EventStoreError) {
        let path = directory + "/" + name
        let temporary = path + ".tmp"
        do {
            let file = try FileDescriptor.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
            try write(file)
            try file.syncData()
        }
        try rename(temporary, to: path)
        try syncDirectory(directory)
    }

    /// Atomically replaces `destination` with `source`.
    static func rename(_ source: String, to destination: String) throws(EventStoreError) {
        guard Glibc.rename(source, destination) == 0 else { throw .io(operation: "rename", path: source, errno: errno) }
    }

    /// Removes the file `path`; a file already gone is not an error (best effort: callers only
    /// tidy up files that are never needed again).
    static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Whether `path` exists.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
