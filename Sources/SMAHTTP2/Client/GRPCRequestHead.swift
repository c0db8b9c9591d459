import CNGHTTP2

/// The request headers of a unary gRPC call, encoded once and reused for every call.
///
/// nghttp2 is told not to copy the names and values (`NO_COPY`): each in-flight call holds a
/// reference to its head, so the bytes outlive the HEADERS frame.
///
/// Thread-safety: `@unchecked Sendable` because the storage is written only in `init` and
/// never mutated afterwards.
public final class GRPCRequestHead: @unchecked Sendable {
    /// The method's `:path`, e.g. `/grpc.health.v1.Health/Check`.
    public let path: String
    /// The call timeout sent as `grpc-timeout` and enforced client-side, if any.
    public let timeoutNanoseconds: UInt64?
    private let storage: UnsafeMutableRawBufferPointer
    let fields: UnsafeMutableBufferPointer<nghttp2_nv>

    /// Encodes the headers of a call.
    /// - Parameters:
    ///   - path: the method's `:path`; must start with `/`.
    ///   - authority: the `:authority`, usually `host:port`.
    ///   - timeoutNanoseconds: sent as `grpc-timeout`; `nil` for no deadline.
    ///   - metadata: custom headers in order; names must be lowercase and not reserved
    ///     (`-bin` values are sent as given, so pass them base64-encoded).
    /// - Throws: ``InvalidHead`` naming the offending header.
    public init(path: String, authority: String, timeoutNanoseconds: UInt64? = nil,
                metadata: [(name: String, value: String)] = []) throws(InvalidHead) {
        guard path.hasPrefix("/") else { throw InvalidHead(reason: "the method path must start with '/', got '\(path)'") }
        var pairs: [(String, String)] = [
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers"), ("user-agent", "sma-load/1.0"),
        ]
        if let timeoutNanoseconds { pairs.append(("grpc-timeout", Self.encodeTimeout(timeoutNanoseconds))) }
        let reserved: Set<String> = ["content-type", "te", "user-agent", "grpc-timeout", "grpc-status", "grpc-message",
                                     "grpc-encoding", "grpc-accept-encoding", "connection", "host"]
        for (name, value) in metadata {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw InvalidHead(reason: "metadata name '\(name)' must be lowercase letters, digits, '-', '_' or '.'")
            }
            guard !reserved.contains(name) else {
                throw InvalidHead(reason: "metadata name '\(name)' is reserved by gRPC or HTTP/2")
            }
            guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw InvalidHead(reason: "metadata value of '\(name)' must be printable ASCII")
            }
            pairs.append((name, value))
        }
        self.path = path
        self.timeoutNanoseconds = timeoutNanoseconds
        let total = pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }
        storage = .allocate(byteCount: max(total, 1), alignment: 1)
        fields = .allocate(capacity: pairs.count)
        var offset = 0
        for (i, (name, value)) in pairs.enumerated() {
            let nameStart = storage.baseAddress! + offset
            for byte in name.utf8 { storage[offset] = byte; offset += 1 }
            let valueStart = storage.baseAddress! + offset
            for byte in value.utf8 { storage[offset] = byte; offset += 1 }
            fields[i] = nghttp2_nv(
                name: nameStart.assumingMemoryBound(to: UInt8.self), value: valueStart.assumingMemoryBound(to: UInt8.self),
                namelen: name.utf8.count, valuelen: value.utf8.count,
                flags: UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue))
        }
    }

    deinit {
        storage.deallocate()
        fields.deallocate()
    }

    /// A header list that cannot be sent.
    public struct InvalidHead: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// Formats a `grpc-timeout` value: at most 8 digits in the finest unit that fits, rounded up.
    static func encodeTimeout(_ nanoseconds: UInt64) -> String {
        let units: [(UInt64, Character)] = [(1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"),
                                            (60_000_000_000, "M"), (3_600_000_000_000, "H")]
        for (size, unit) in units {
            let amount = nanoseconds / size + (nanoseconds % size == 0 ? 0 : 1)
            if amount <= 99_999_999 { return "\(amount)\(unit)" }
        }
        return "99999999H"
    }
}
