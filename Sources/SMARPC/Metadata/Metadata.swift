/// gRPC custom metadata: ordered key/value pairs sent as HTTP/2 headers or trailers.
///
/// Keys are lower-case. Keys ending in `-bin` carry binary values (base64 on the wire);
/// all others carry printable ASCII strings.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One metadata value.
    public enum Value: Sendable, Hashable {
        case string(String)
        case binary([UInt8])
    }

    /// One key/value pair.
    public struct Element: Sendable, Hashable {
        public var key: String
        public var value: Value
    }

    @usableFromInline var elements: [Element]

    public init() { elements = [] }

    public init(dictionaryLiteral pairs: (String, Value)...) {
        elements = pairs.map { Element(key: $0.0.lowercased(), value: $0.1) }
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }

    public func makeIterator() -> IndexingIterator<[Element]> { elements.makeIterator() }

    /// Appends a string value. Keys are lower-cased.
    public mutating func add(_ key: String, _ value: String) {
        elements.append(Element(key: key.lowercased(), value: .string(value)))
    }

    /// Appends a binary value; `key` must end in `-bin`.
    public mutating func add(_ key: String, binary value: [UInt8]) {
        elements.append(Element(key: key.lowercased(), value: .binary(value)))
    }

    /// Appends a value of either kind.
    public mutating func add(_ key: String, value: Value) {
        elements.append(Element(key: key.lowercased(), value: value))
    }

    /// Appends every pair of `other`.
    public mutating func add(contentsOf other: Metadata) {
        elements.append(contentsOf: other.elements)
    }

    /// Removes every value for `key`.
    public mutating func removeAll(_ key: String) {
        let key = key.lowercased()
        elements.removeAll { $0.key == key }
    }

    /// All string values for `key`.
    public subscript(stringValues key: String) -> [String] {
        let key = key.lowercased()
        return elements.compactMap { $0.key == key ? $0.value.stringValue : nil }
    }

    /// All binary values for `key`.
    public subscript(binaryValues key: String) -> [[UInt8]] {
        let key = key.lowercased()
        return elements.compactMap { element -> [UInt8]? in
            guard element.key == key, case .binary(let bytes) = element.value else { return nil }
            return bytes
        }
    }

    /// The first string value for `key`, if any.
    public func first(_ key: String) -> String? { self[stringValues: key].first }

    /// Whether `key` is a valid gRPC metadata key: `[0-9a-z_.-]+`, not starting with `grpc-`
    /// unless reserved by the protocol.
    public static func isValidKey(_ key: String) -> Bool {
        guard !key.isEmpty else { return false }
        return key.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }

    /// Whether `value` can be sent as an ASCII metadata value (printable ASCII, 0x20–0x7E).
    public static func isValidASCIIValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }
}

extension Metadata.Value {
    /// The string, when this is a string value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension Metadata.Value: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
