/// Field validation shared by the decide functions; every failure names the field.
enum Validate {
    /// Longest accepted identifier.
    static let maxIdentifierLength = 64

    /// An id given by the caller: 1–64 characters of ASCII letters, digits, `_`, `.` or `-`.
    @discardableResult
    static func identifier(_ value: String, field: String) throws(DomainError) -> String {
        guard !value.isEmpty else {
            throw .invalidArgument(field: field, reason: "must not be empty; expected 1–\(maxIdentifierLength) letters, digits, '_', '.' or '-'")
        }
        guard value.utf8.count <= maxIdentifierLength else {
            throw .invalidArgument(field: field, reason: "is \(value.utf8.count) bytes long; at most \(maxIdentifierLength) are allowed")
        }
        for byte in value.utf8 {
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
            guard ok else {
                throw .invalidArgument(field: field, reason: "'\(value)' contains a character other than ASCII letters, digits, '_', '.' or '-'")
            }
        }
        return value
    }

    /// Free text: not blank and at most `maxLength` characters.
    @discardableResult
    static func text(_ value: String, field: String, maxLength: Int = 500) throws(DomainError) -> String {
        guard value.contains(where: { !$0.isWhitespace }) else {
            throw .invalidArgument(field: field, reason: "must not be empty or blank")
        }
        guard value.count <= maxLength else {
            throw .invalidArgument(field: field, reason: "is \(value.count) characters long; at most \(maxLength) are allowed")
        }
        return value
    }

    /// Optional free text: empty is fine, otherwise at most `maxLength` characters.
    static func optionalText(_ value: String, field: String, maxLength: Int = 500) throws(DomainError) {
        guard value.count <= maxLength else {
            throw .invalidArgument(field: field, reason: "is \(value.count) characters long; at most \(maxLength) are allowed")
        }
    }
}
