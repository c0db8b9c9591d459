import Foundation
import SMAApplication
import SMADomain

/// Shared times, callers and ids for the application tests.
enum Fixture {
    static let dealershipId = "d-42"
    /// 2025-06-15T00:00:00.123Z: every executor in these tests reads this fixed time.
    static let now = Timestamp(millisecondsSinceEpoch: 1_749_945_600_123)
    /// A second, later time, for events that carry two times.
    static let later = Timestamp(millisecondsSinceEpoch: 1_752_537_600_456)
    static let clock: @Sendable () -> Timestamp = { now }
    static let vin = try! VIN("1HGCM82633A004352")

    /// A caller allowed to do everything the tests need (admin covers every role check).
    static let admin = Caller(subject: "alice", dealershipScope: .all, roles: [.admin])

    /// Options with a fresh command id and optional expected version.
    static func options(_ commandId: String = UUID().uuidString, expectedVersion: UInt64? = nil) -> CommandOptions {
        CommandOptions(commandId: commandId, expectedVersion: expectedVersion, correlationId: "test")
    }
}
