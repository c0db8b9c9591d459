import SMADomain
import SMAProtos

extension ValueMapping {
    /// The wire form of contact details.
    public static func contact(_ value: ContactInfo) -> Sma_V1_ContactInfo {
        var message = Sma_V1_ContactInfo()
        message.email = value.email
        message.phone = value.phone
        return message
    }

    /// Contact details from the wire; `field` names them in errors.
    public static func contact(_ message: Sma_V1_ContactInfo?, field: String) throws(DomainError) -> ContactInfo {
        guard let message else { throw .invalidArgument(field: field, reason: "is required: an e-mail address, a phone number, or both") }
        return try ContactInfo(email: message.email, phone: message.phone)
    }
}
