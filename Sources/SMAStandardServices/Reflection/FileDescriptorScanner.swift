/// Reads the `dependency` names (field 3) of a serialized `FileDescriptorProto`.
///
/// A deliberately tiny top-level field walk: the bytes come from our own generated tables
/// (produced by protoc), so this is a lookup, not a general decoder.
enum FileDescriptorScanner {
    static func dependencies(of bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var i = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let b = bytes[i]
                i += 1
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let key = varint() else { break }
            let field = key >> 3
            switch key & 7 {
            case 0: _ = varint()
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let length = varint(), i + Int(length) <= bytes.count else { return result }
                if field == 3 {
                    result.append(String(decoding: bytes[i..<(i + Int(length))], as: UTF8.self))
                }
                i += Int(length)
            default: return result
            }
        }
        return result
    }
}
