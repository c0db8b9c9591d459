/// How to reach a customer: an e-mail address, a phone number, or both.
public struct ContactInfo: Hashable, Sendable {
    /// E-mail address, or empty.
    public let email: String
    /// Phone number (digits, optional leading `+`, spaces, `-`, `(`, `)`), or empty.
    public let phone: String

    /// Validates contact details; at least one must be given.
    /// - Throws: ``DomainError/invalidArgument(field:reason:)`` naming `contact.email` or `contact.phone`.
    public init(email: String, phone: String) throws(DomainError) {
        guard !email.isEmpty || !phone.isEmpty else {
            throw .invalidArgument(field: "contact", reason: "needs an e-mail address, a phone number, or both")
        }
        if !email.isEmpty { try Self.validateEmail(email) }
        if !phone.isEmpty { try Self.validatePhone(phone) }
        self.email = email
        self.phone = phone
    }

    private static func validateEmail(_ email: String) throws(DomainError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace) else {
            throw .invalidArgument(field: "contact.email", reason: "'\(email)' is not an e-mail address; expected name@domain.tld")
        }
    }

    private static func validatePhone(_ phone: String) throws(DomainError) {
        var digits = 0
        for (index, character) in phone.enumerated() {
            if character.isASCII, character.isNumber {
                digits += 1
            } else if !(character == "+" && index == 0) && !" -()".contains(character) {
                throw .invalidArgument(field: "contact.phone", reason: "'\(phone)' contains '\(character)'; expected digits with an optional leading +, spaces, '-', '(' or ')'")
            }
        }
        guard (5...20).contains(digits) else {
            throw .invalidArgument(field: "contact.phone", reason: "'\(phone)' has \(digits) digits; expected 5–20")
        }
    }
}
