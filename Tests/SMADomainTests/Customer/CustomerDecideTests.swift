import Testing
@testable import SMADomain

@Suite("Customer decisions")
struct CustomerDecideTests {
    func contact(email: String = "ann@example.com", phone: String = "") throws -> ContactInfo {
        try ContactInfo(email: email, phone: phone)
    }

    func decide(_ command: CustomerCommand, _ state: CustomerState?, as caller: Caller = Fixture.advisor) throws -> [CustomerEvent] {
        try CustomerState.decide(command, state, Fixture.context(caller))
    }

    func registered() throws -> CustomerState {
        CustomerState.replay(try decide(.register(customerId: "c1", dealershipId: Fixture.dealershipId, name: "Ann", contact: contact()), nil))!
    }

    @Test("registers a customer of the caller's dealership")
    func registers() throws {
        #expect(try registered().contact.email == "ann@example.com")
    }

    @Test("refuses a duplicate, a blank name and another dealership")
    func registerRefusals() throws {
        let state = try registered()
        #expect(refusal { try decide(.register(customerId: "c1", dealershipId: Fixture.dealershipId, name: "Ann", contact: contact()), state) }?.kind == .alreadyExists)
        #expect(refusal { try decide(.register(customerId: "c2", dealershipId: Fixture.dealershipId, name: "", contact: contact()), nil) }?.field == "name")
        #expect(refusal { try decide(.register(customerId: "c2", dealershipId: Fixture.otherDealershipId, name: "Bo", contact: contact()), nil) }?.kind == .permissionDenied)
    }

    @Test("contact needs a valid e-mail or phone", arguments: [("", ""), ("not-an-email", ""), ("a@b", ""), ("", "12ab"), ("", "123")])
    func contactValidation(_ email: String, _ phone: String) {
        #expect(refusal { try ContactInfo(email: email, phone: phone) }?.field?.hasPrefix("contact") == true)
    }

    @Test("accepts a phone-only contact with formatting")
    func phoneOnly() throws {
        #expect(try ContactInfo(email: "", phone: "+1 (555) 010-0199").phone == "+1 (555) 010-0199")
    }

    @Test("updates the contact; an identical update is a no-op; unknown customers are NOT_FOUND")
    func updatesContact() throws {
        let state = try registered()
        #expect(try decide(.updateContact(customerId: "c1", contact: contact(email: "ann@new.example")), state).map(\.eventType) == ["CustomerContactUpdated"])
        #expect(try decide(.updateContact(customerId: "c1", contact: contact()), state).isEmpty)
        #expect(refusal { try decide(.updateContact(customerId: "c9", contact: contact()), nil) }?.kind == .notFound)
        #expect(refusal { try decide(.updateContact(customerId: "c1", contact: contact()), state, as: Fixture.outsider) }?.kind == .permissionDenied)
    }
}
