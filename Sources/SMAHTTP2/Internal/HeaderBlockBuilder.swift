import CNGHTTP2

/// Builds an nghttp2 header list in one buffer; nghttp2 copies the pairs on submit, so the
/// buffer only has to live for the duration of ``withNameValuePairs(_:)``.
struct HeaderBlockBuilder {
    private var bytes: [UInt8] = []
    private var fields: [(nameStart: Int, nameLength: Int, valueLength: Int)] = []

    init() {
        bytes.reserveCapacity(160)
        fields.reserveCapacity(6)
    }

    mutating func add(_ name: StaticString, _ value: StaticString) {
        add(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount),
            UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    mutating func add(_ name: StaticString, _ value: String) {
        var value = value
        value.withUTF8 { add(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ name: [UInt8], _ value: [UInt8]) {
        name.withUnsafeBytes { n in value.withUnsafeBytes { v in add(n, v) } }
    }

    mutating func add(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        fields.append((bytes.count, name.count, value.count))
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: value)
    }

    /// Adds custom metadata, skipping keys that are not valid or that the protocol reserves.
    mutating func add(metadata: Metadata) {
        for (name, value) in metadata.wireHeaders() where Self.isSendable(name) {
            add(name, value)
        }
    }

    private static func isSendable(_ name: [UInt8]) -> Bool {
        guard !name.isEmpty, name[0] != UInt8(ascii: ":") else { return false }
        let reserved: [[UInt8]] = [Array("content-type".utf8), Array("te".utf8), Array("grpc-status".utf8),
                                   Array("grpc-message".utf8), Array("grpc-encoding".utf8), Array("connection".utf8)]
        return !reserved.contains(name)
    }

    func withNameValuePairs<R>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: fields.count) { nva in
                for (i, field) in fields.enumerated() {
                    nva[i] = nghttp2_nv(
                        name: base + field.nameStart, value: base + field.nameStart + field.nameLength,
                        namelen: field.nameLength, valuelen: field.valueLength,
                        flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
                }
                return body(UnsafePointer(nva.baseAddress!), fields.count)
            }
        }
    }
}

import SMARPC
