import Foundation
@testable import SMAApplication
import Testing

@Suite("EventIdentity: event ids derived from the command")
struct EventIdentityTests {
    @Test("ids are SHA-256 of command id, stream and index (known answers computed with Python's hashlib)")
    func knownAnswers() {
        #expect(EventIdentity.eventID(commandId: "cmd-1", stream: "vehicle-1HGCM82633A004352", index: 0).uuidString
                == "073069AB-9880-8450-8447-13ABFB39181D")
        #expect(EventIdentity.eventID(commandId: "cmd-1", stream: "vehicle-1HGCM82633A004352", index: 1).uuidString
                == "D19AAB7A-738C-8883-BAB6-A92145A0B4F5")
        #expect(EventIdentity.eventID(commandId: "", stream: "", index: 0).uuidString == "01D448AF-D928-8654-98CF-670B60F5A594")
    }

    @Test("the separators keep (command, stream) pairs apart")
    func separators() {
        #expect(EventIdentity.eventID(commandId: "ab", stream: "c", index: 0) != EventIdentity.eventID(commandId: "a", stream: "bc", index: 0))
    }
}
