/// A protobuf request message with placeholders, compiled once and encoded per request into
/// a different message each time (see ``BodyTemplate/syntax`` for the text form).
///
/// Static fields are pre-encoded into raw bytes at compile time; only fields holding
/// placeholders are encoded per request, straight into the request buffer.
public struct BodyTemplate: Sendable {
    /// A value filled in per request.
    public enum Placeholder: Sendable, Equatable {
        /// `{seq}`: the request number.
        case seq
        /// `{uuid}`: a random version-4 UUID, lowercase.
        case uuid
        /// `{vin}`: a VIN from the pool.
        case vin
        /// `{odometer}`: the request VIN's odometer, increasing with every request.
        case odometer
        /// `{rand:LOW:HIGH}`: a uniform integer in `LOW...HIGH`.
        case random(Int64, Int64)
        /// `{now_s}` / `{now_ms}`: Unix time.
        case nowSeconds, nowMilliseconds
        /// `{choice:a|b|c}`: one of the options, at random.
        case choice([Choice])

        /// Whether the placeholder stands for an integer (usable in numeric fields).
        var isNumeric: Bool {
            switch self {
            case .seq, .odometer, .random, .nowSeconds, .nowMilliseconds: true
            case .choice(let options): options.allSatisfy { $0.isNumber }
            case .vin, .uuid: false
            }
        }

        /// Whether the placeholder draws a VIN.
        var usesVIN: Bool { self == .vin || self == .odometer }
    }

    /// One option of `{choice:…}`.
    public struct Choice: Sendable, Equatable {
        var text: [UInt8]
        var number: Int64
        var isNumber: Bool
    }

    enum TextPart: Sendable {
        case literal([UInt8])
        case placeholder(Placeholder)
    }

    /// How a numeric field is written.
    enum NumberEncoding: Sendable {
        case varint, zigzag, bool, fixed32, fixed64, float, double
    }

    indirect enum Node: Sendable {
        /// Pre-encoded fields.
        case raw([UInt8])
        case text(key: [UInt8], parts: [TextPart])
        case number(key: [UInt8], encoding: NumberEncoding, source: Placeholder)
        case message(key: [UInt8], children: [Node])
    }

    let nodes: [Node]
    /// Whether any field draws a VIN (`{vin}` or `{odometer}`): the run then needs a pool.
    public let usesVIN: Bool

    /// Compiles a template.
    /// - Throws: ``BodyTemplateError`` with the line and column of the problem.
    public init(parsing text: String) throws(BodyTemplateError) {
        var parser = BodyTemplateParser(text: text)
        nodes = try parser.parse()
        usesVIN = parser.usesVIN
    }

    /// Appends one message to `buffer`, drawing placeholder values from `values`
    /// (call ``TemplateValues/beginRequest(sequence:drawsVIN:)`` first).
    public func encode(into buffer: inout [UInt8], values: inout TemplateValues) {
        Self.encode(nodes, into: &buffer, values: &values)
    }

    private static func encode(_ nodes: [Node], into buffer: inout [UInt8], values: inout TemplateValues) {
        for node in nodes {
            switch node {
            case .raw(let bytes):
                buffer.append(contentsOf: bytes)
            case .text(let key, let parts):
                buffer.append(contentsOf: key)
                ProtobufWireWriter.appendLengthDelimited(to: &buffer) { buffer in
                    for part in parts {
                        switch part {
                        case .literal(let bytes): buffer.append(contentsOf: bytes)
                        case .placeholder(let placeholder): values.appendText(for: placeholder, to: &buffer)
                        }
                    }
                }
            case .number(let key, let encoding, let source):
                buffer.append(contentsOf: key)
                appendNumber(values.number(for: source), encoding: encoding, to: &buffer)
            case .message(let key, let children):
                buffer.append(contentsOf: key)
                ProtobufWireWriter.appendLengthDelimited(to: &buffer) { buffer in
                    encode(children, into: &buffer, values: &values)
                }
            }
        }
    }

    /// Writes an integer value (without key) as `encoding` requires.
    static func appendNumber(_ value: Int64, encoding: NumberEncoding, to buffer: inout [UInt8]) {
        switch encoding {
        case .varint: ProtobufWireWriter.appendVarint(UInt64(bitPattern: value), to: &buffer)
        case .zigzag: ProtobufWireWriter.appendVarint(ProtobufWireWriter.zigzag(value), to: &buffer)
        case .bool: buffer.append(value != 0 ? 1 : 0)
        case .fixed32: ProtobufWireWriter.appendFixed32(UInt32(truncatingIfNeeded: value), to: &buffer)
        case .fixed64: ProtobufWireWriter.appendFixed64(UInt64(bitPattern: value), to: &buffer)
        case .float: ProtobufWireWriter.appendFixed32(Float(value).bitPattern, to: &buffer)
        case .double: ProtobufWireWriter.appendFixed64(Double(value).bitPattern, to: &buffer)
        }
    }
}

/// A template that does not compile: where, and what was expected.
public struct BodyTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "template line \(line), column \(column): \(message)" }
}
