import Foundation
import SMAApplication
import Testing

@Suite("ProcessCheckpoint: a process manager's durable log position")
struct ProcessCheckpointTests {
    @Test("a checkpoint never saved loads as 0")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try ProcessCheckpoint(directory: directory.path, name: "p").load() == 0)
    }

    @Test("a saved position loads back, and a later save replaces it", arguments: [UInt64(1), 42, UInt64.max])
    func saveAndLoad(position: UInt64) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: "p")
        try checkpoint.save(7)
        try checkpoint.save(position)
        #expect(try checkpoint.load() == position)
        #expect(try ProcessCheckpoint(directory: directory.path, name: "p").load() == position)
        #expect(!FileManager.default.fileExists(atPath: checkpoint.path + ".tmp"))
    }

    @Test("saving creates a missing directory")
    func createsDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path + "/nested/deeper", name: "p")
        try checkpoint.save(5)
        #expect(try checkpoint.load() == 5)
    }

    @Test("a file that does not hold a position makes load throw", arguments: ["", "abc", "-1", "12 13", "18446744073709551616", "0x10"])
    func corruptFile(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: "p")
        try contents.write(toFile: checkpoint.path, atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.self) { try checkpoint.load() }
    }

    @Test("a file that is not UTF-8 makes load throw")
    func binaryFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let checkpoint = ProcessCheckpoint(directory: directory.path, name: "p")
        try Data([0xFF, 0xFE, 0x00, 0x31]).write(to: URL(fileURLWithPath: checkpoint.path))
        #expect(throws: (any Error).self) { try checkpoint.load() }
    }

    @Test("saving into a directory that cannot be created throws")
    func unwritableDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = directory.path + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try ProcessCheckpoint(directory: blocker, name: "p").save(1) }
    }
}
