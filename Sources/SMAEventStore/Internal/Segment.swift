/// One segment file of the log: its first position and an open descriptor for reading and writing.
final class Segment: Sendable {
    /// The position of the segment's first event (also its file name).
    let firstPosition: UInt64
    let file: FileDescriptor

    init(firstPosition: UInt64, file: FileDescriptor) {
        self.firstPosition = firstPosition
        self.file = file
    }

    var path: String { file.path }

    /// The file name of the segment starting at `position`: 20 zero-padded digits and `.log`.
    static func fileName(firstPosition position: UInt64) -> String {
        let digits = String(position)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// The first position encoded in a segment file name, or nil if `name` is not a segment.
    static func firstPosition(fileName name: String) -> UInt64? {
        guard name.hasSuffix(".log"), name.utf8.count == 24 else { return nil }
        return UInt64(name.dropLast(4))
    }
}
