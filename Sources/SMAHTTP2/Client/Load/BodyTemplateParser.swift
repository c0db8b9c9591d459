/// Parses the text form of a ``BodyTemplate`` (grammar in ``BodyTemplate/syntax``) and
/// compiles it to nodes, pre-encoding every field that holds no placeholder.
struct BodyTemplateParser {
    typealias Node = BodyTemplate.Node
    typealias Placeholder = BodyTemplate.Placeholder

    private let text: [UInt8]
    private var index = 0
    private(set) var usesVIN = false

    init(text: String) {
        self.text = Array(text.utf8)
    }

    mutating func parse() throws(BodyTemplateError) -> [Node] {
        try parseFields(nested: false)
    }

    // MARK: Structure

    private var current: UInt8? { index < text.count ? text[index] : nil }

    private mutating func parseFields(nested: Bool) throws(BodyTemplateError) -> [Node] {
        var nodes: [Node] = []
        while true {
            while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n")
                || c == UInt8(ascii: "\r") || c == UInt8(ascii: ";") { index += 1 }
            guard let c = current else {
                if nested { throw error("missing '}' to close a message field") }
                return Self.merged(nodes)
            }
            if c == UInt8(ascii: "#") {
                while let c = current, c != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            if c == UInt8(ascii: "}") {
                guard nested else { throw error("'}' without a message field to close") }
                index += 1
                return Self.merged(nodes)
            }
            nodes.append(try parseField())
        }
    }

    private mutating func parseField() throws(BodyTemplateError) -> Node {
        let fieldStart = index
        var number = 0
        while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), number < 1 << 30 {
            number = number * 10 + Int(c - UInt8(ascii: "0"))
            index += 1
        }
        guard index > fieldStart else { throw error("expected a field number, as in '1:string:{vin}'") }
        guard (1...536_870_911).contains(number), !(19_000...19_999).contains(number) else {
            index = fieldStart
            throw error("field number \(number) is not allowed (1–536870911, not 19000–19999)")
        }
        try expect(UInt8(ascii: ":"), "':' after the field number")
        let kindStart = index
        while let c = current, (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            index += 1
        }
        let kind = String(decoding: text[kindStart..<index], as: UTF8.self)
        if kind == "message" {
            skipBlanks()
            if current == UInt8(ascii: ":") { index += 1; skipBlanks() }
            try expect(UInt8(ascii: "{"), "'{' to open the fields of message field \(number)")
            let children = try parseFields(nested: true)
            let key = ProtobufWireWriter.key(field: number, wireType: .lengthDelimited)
            if children.isEmpty { return .raw(key + [0]) }
            if children.count == 1, case .raw(let bytes) = children[0] {
                var encoded = key
                ProtobufWireWriter.appendLengthDelimited(to: &encoded) { $0.append(contentsOf: bytes) }
                return .raw(encoded)
            }
            return .message(key: key, children: children)
        }
        guard Self.kinds.contains(kind) else {
            index = kindStart
            throw error("unknown field kind '\(kind)'; expected one of \(Self.kinds.joined(separator: ", ")), message")
        }
        try expect(UInt8(ascii: ":"), "':' after the field kind")
        let valueStart = index
        let parts = try parseValue()
        return try compile(number: number, kind: kind, parts: parts, at: valueStart)
    }

    private mutating func skipBlanks() {
        while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(BodyTemplateError) {
        guard current == byte else { throw error("expected \(what)") }
        index += 1
    }

    // MARK: Values

    /// A bare value runs to the end of the line, a `;` or a `}` (trailing blanks dropped);
    /// a quoted one (`"…"`, with `\"` and `\\`) keeps everything. `{{` is a literal `{`.
    private mutating func parseValue() throws(BodyTemplateError) -> [BodyTemplate.TextPart] {
        skipBlanks()
        var parts: [BodyTemplate.TextPart] = []
        var literal: [UInt8] = []
        let quoted = current == UInt8(ascii: "\"")
        if quoted { index += 1 }
        while true {
            guard let c = current else {
                if quoted { throw error("unterminated quoted value") }
                break
            }
            if quoted {
                if c == UInt8(ascii: "\"") { index += 1; break }
                if c == UInt8(ascii: "\\"), index + 1 < text.count {
                    literal.append(text[index + 1])
                    index += 2
                    continue
                }
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: ";") || c == UInt8(ascii: "}") {
                break
            }
            if c == UInt8(ascii: "{") {
                if index + 1 < text.count && text[index + 1] == UInt8(ascii: "{") {
                    literal.append(c)
                    index += 2
                    continue
                }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = [] }
                parts.append(.placeholder(try parsePlaceholder()))
                continue
            }
            literal.append(c)
            index += 1
        }
        if !quoted {
            while let last = literal.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { literal.removeLast() }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    private mutating func parsePlaceholder() throws(BodyTemplateError) -> Placeholder {
        let start = index
        index += 1
        let contentStart = index
        while let c = current, c != UInt8(ascii: "}") {
            guard c != UInt8(ascii: "\n") else { break }
            index += 1
        }
        guard current == UInt8(ascii: "}") else {
            index = start
            throw error("unterminated placeholder; write '{{' for a literal '{'")
        }
        let content = String(decoding: text[contentStart..<index], as: UTF8.self)
        index += 1
        let pieces = content.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pieces[0])
        let argument = pieces.count > 1 ? String(pieces[1]) : nil
        let placeholder: Placeholder
        switch (name, argument) {
        case ("seq", nil): placeholder = .seq
        case ("uuid", nil): placeholder = .uuid
        case ("vin", nil): placeholder = .vin
        case ("odometer", nil): placeholder = .odometer
        case ("now_s", nil): placeholder = .nowSeconds
        case ("now_ms", nil): placeholder = .nowMilliseconds
        case ("rand", let argument?):
            let bounds = argument.split(separator: ":").map { Int64($0) }
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high,
                  UInt64(bitPattern: high &- low) < UInt64.max else {
                index = start
                throw error("expected {rand:LOW:HIGH} with integers LOW <= HIGH, got {\(content)}")
            }
            placeholder = .random(low, high)
        case ("choice", let argument?):
            let options = argument.split(separator: "|", omittingEmptySubsequences: false).map { option in
                BodyTemplate.Choice(text: Array(option.utf8), number: Int64(option) ?? 0, isNumber: Int64(option) != nil)
            }
            placeholder = .choice(options)
        default:
            index = start
            throw error("unknown placeholder {\(content)}; expected {seq}, {uuid}, {vin}, {odometer}, {now_s}, {now_ms}, {rand:LOW:HIGH} or {choice:a|b|c}")
        }
        if placeholder.usesVIN { usesVIN = true }
        return placeholder
    }

    // MARK: Compiling fields

    static let kinds = ["string", "bytes", "hex", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "enum",
                        "fixed32", "fixed64", "sfixed32", "sfixed64", "float", "double"]

    private func compile(number: Int, kind: String, parts: [BodyTemplate.TextPart], at valueStart: Int) throws(BodyTemplateError) -> Node {
        switch kind {
        case "string", "bytes":
            let key = ProtobufWireWriter.key(field: number, wireType: .lengthDelimited)
            if parts.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                var encoded = key
                ProtobufWireWriter.appendLengthDelimited(to: &encoded) { buffer in
                    for case .literal(let bytes) in parts { buffer.append(contentsOf: bytes) }
                }
                return .raw(encoded)
            }
            return .text(key: key, parts: parts)
        case "hex":
            var hex: [UInt8]? = parts.isEmpty ? [] : nil
            if parts.count == 1, case .literal(let digits) = parts[0] { hex = digits }
            guard let hex, let bytes = Self.decodeHex(hex) else {
                throw error("a hex field takes an even number of hex digits and no placeholder", at: valueStart)
            }
            var encoded = ProtobufWireWriter.key(field: number, wireType: .lengthDelimited)
            ProtobufWireWriter.appendLengthDelimited(to: &encoded) { $0.append(contentsOf: bytes) }
            return .raw(encoded)
        default:
            return try compileNumber(number: number, kind: kind, parts: parts, at: valueStart)
        }
    }

    private func compileNumber(number: Int, kind: String, parts: [BodyTemplate.TextPart], at valueStart: Int) throws(BodyTemplateError) -> Node {
        let (wireType, encoding): (ProtobufWireWriter.WireType, BodyTemplate.NumberEncoding) = switch kind {
        case "sint32", "sint64": (.varint, .zigzag)
        case "bool": (.varint, .bool)
        case "fixed32", "sfixed32": (.fixed32, .fixed32)
        case "fixed64", "sfixed64": (.fixed64, .fixed64)
        case "float": (.fixed32, .float)
        case "double": (.fixed64, .double)
        default: (.varint, .varint)
        }
        let key = ProtobufWireWriter.key(field: number, wireType: wireType)
        if parts.count == 1, case .placeholder(let placeholder) = parts[0] {
            guard placeholder.isNumeric else {
                throw error("a field of kind \(kind) needs a numeric placeholder ({seq}, {odometer}, {rand:…}, {now_s}, {now_ms}, {choice:1|2})", at: valueStart)
            }
            return .number(key: key, encoding: encoding, source: placeholder)
        }
        guard parts.count == 1, case .literal(let bytes) = parts[0] else {
            throw error("a field of kind \(kind) takes one number or one numeric placeholder", at: valueStart)
        }
        let literal = String(decoding: bytes, as: UTF8.self)
        var encoded = key
        switch kind {
        case "float", "double":
            guard let value = Double(literal) else { throw error("'\(literal)' is not a valid \(kind)", at: valueStart) }
            if kind == "float" {
                ProtobufWireWriter.appendFixed32(Float(value).bitPattern, to: &encoded)
            } else {
                ProtobufWireWriter.appendFixed64(value.bitPattern, to: &encoded)
            }
        case "bool":
            guard let value = ["true": Int64(1), "false": 0, "1": 1, "0": 0][literal] else {
                throw error("a bool field takes true, false, 1 or 0, got '\(literal)'", at: valueStart)
            }
            BodyTemplate.appendNumber(value, encoding: .bool, to: &encoded)
        default:
            let range: ClosedRange<Double> = switch kind {
            case "int32", "enum", "sint32", "sfixed32": Double(Int32.min)...Double(Int32.max)
            case "uint32", "fixed32": 0...Double(UInt32.max)
            case "uint64", "fixed64": 0...Double(UInt64.max)
            default: Double(Int64.min)...Double(Int64.max)
            }
            let value: Int64
            if let signed = Int64(literal), range.contains(Double(signed)) {
                value = signed
            } else if kind == "uint64" || kind == "fixed64", let unsigned = UInt64(literal) {
                value = Int64(bitPattern: unsigned)
            } else {
                throw error("'\(literal)' is not a valid \(kind) (or is out of its range)", at: valueStart)
            }
            BodyTemplate.appendNumber(value, encoding: encoding, to: &encoded)
        }
        return .raw(encoded)
    }

    private static func decodeHex(_ hex: [UInt8]) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < hex.count {
            guard let high = hexValue(hex[i]), let low = hexValue(hex[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Adjacent pre-encoded fields become one chunk.
    private static func merged(_ nodes: [Node]) -> [Node] {
        var result: [Node] = []
        for node in nodes {
            if case .raw(let bytes) = node, let last = result.last, case .raw(let previous) = last {
                result[result.count - 1] = .raw(previous + bytes)
            } else {
                result.append(node)
            }
        }
        return result
    }

    // MARK: Errors

    private func error(_ message: String, at position: Int? = nil) -> BodyTemplateError {
        let position = min(position ?? index, text.count)
        var line = 1
        var column = 1
        for byte in text[..<position] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return BodyTemplateError(line: line, column: column, message: message)
    }
}
