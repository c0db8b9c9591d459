#if canImport(Glibc)
import Glibc
#endif

/// The caller's custom headers exactly as received, stored in one buffer; turned into
/// ``Metadata`` only when a handler asks for it.
public struct RawHeaderBlock: Sendable, Equatable {
    // Layout: repeated [nameLength: UInt16][valueLength: UInt32][name][value]
    private var storage: [UInt8] = []

    public init() {}

    public var isEmpty: Bool { storage.isEmpty }

    /// Empties the block, keeping its buffer when it is not shared.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
    }

    /// Appends one header as raw bytes.
    public mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        storage.reserveCapacity(storage.count + 6 + name.count + value.count)
        let n = UInt16(truncatingIfNeeded: min(name.count, Int(UInt16.max)))
        let v = UInt32(truncatingIfNeeded: value.count)
        storage.append(UInt8(truncatingIfNeeded: n >> 8))
        storage.append(UInt8(truncatingIfNeeded: n))
        storage.append(UInt8(truncatingIfNeeded: v >> 24))
        storage.append(UInt8(truncatingIfNeeded: v >> 16))
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
        storage.append(contentsOf: name.prefix(Int(n)))
        storage.append(contentsOf: value)
    }

    /// The size of the block in bytes.
    public var byteCount: Int { storage.count }

    /// If the header stored at byte `offset` is exactly `name: value`, the offset of the next
    /// header; otherwise nil. Lets a connection check a new request's headers against the
    /// previous request's block as they arrive, without copying them.
    ///
    /// `mutating` though it only reads: a block stored in a class (the connection's) is then
    /// reached in place, where a non-mutating call first retains a copy of it — a retain and a
    /// release for every header of every request.
    public mutating func offset(afterMatching name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        let nameStart = offset + 6
        let end = nameStart + name.count + value.count
        guard end <= storage.count, name.count <= Int(UInt16.max) else { return nil }
        return storage.withUnsafeBytes { bytes -> Int? in
            let n = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            let v = Int(bytes[offset + 2]) << 24 | Int(bytes[offset + 3]) << 16 | Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            guard n == name.count, v == value.count,
                  memcmp(bytes.baseAddress! + nameStart, name.baseAddress!, n) == 0,
                  memcmp(bytes.baseAddress! + nameStart + n, value.baseAddress!, v) == 0 else { return nil }
            return end
        }
    }

    /// Appends the first `byteCount` bytes of `other`: whole headers, as matched by
    /// ``offset(afterMatching:_:at:)``.
    public mutating func append(prefixOf other: RawHeaderBlock, byteCount: Int) {
        storage.append(contentsOf: other.storage[0..<byteCount])
    }

    /// Whether any header name starts with `prefix` (ASCII, as received: lower case), without
    /// parsing the block.
    public func containsName(withPrefix prefix: StaticString) -> Bool {
        let prefixBytes = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var i = 0
        while i + 6 <= storage.count {
            let n = Int(storage[i]) << 8 | Int(storage[i + 1])
            let v = Int(storage[i + 2]) << 24 | Int(storage[i + 3]) << 16 | Int(storage[i + 4]) << 8 | Int(storage[i + 5])
            let nameStart = i + 6
            guard nameStart + n + v <= storage.count else { return false }
            if n >= prefixBytes.count && storage[nameStart..<(nameStart + prefixBytes.count)].elementsEqual(prefixBytes) {
                return true
            }
            i = nameStart + n + v
        }
        return false
    }

    /// Parses the block: `-bin` values are base64-decoded (invalid ones are dropped).
    public func metadata() -> Metadata {
        var result = Metadata()
        var i = 0
        while i + 6 <= storage.count {
            let n = Int(storage[i]) << 8 | Int(storage[i + 1])
            let v = Int(storage[i + 2]) << 24 | Int(storage[i + 3]) << 16 | Int(storage[i + 4]) << 8 | Int(storage[i + 5])
            let nameStart = i + 6
            let valueStart = nameStart + n
            let end = valueStart + v
            guard end <= storage.count else { break }
            let name = String(decoding: storage[nameStart..<valueStart], as: UTF8.self)
            if name.hasSuffix("-bin") {
                if let bytes = Base64.decode(storage[valueStart..<end]) {
                    result.add(name, binary: bytes)
                }
            } else {
                result.add(name, String(decoding: storage[valueStart..<end], as: UTF8.self))
            }
            i = end
        }
        return result
    }
}

extension Metadata {
    /// Encodes each pair for the wire: `(name, value)` byte arrays, `-bin` values base64-encoded.
    public func wireHeaders() -> [(name: [UInt8], value: [UInt8])] {
        map { element in
            switch element.value {
            case .string(let s): (Array(element.key.utf8), Array(s.utf8))
            case .binary(let b): (Array(element.key.utf8), Base64.encode(b))
            }
        }
    }
}
