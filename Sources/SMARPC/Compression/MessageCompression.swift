import CZlib

/// A gRPC message compression algorithm (`grpc-encoding`). Identity is `nil` at use sites.
public enum MessageCompression: String, Sendable, Hashable, CaseIterable {
    case gzip
    case deflate

    /// The encodings this server accepts, for `grpc-accept-encoding`.
    public static let acceptEncodingHeader = "identity,gzip,deflate"

    /// Parses a `grpc-encoding` value: `nil` for identity; throws UNIMPLEMENTED for unknown ones.
    public static func parse(encoding value: String) throws(RPCError) -> MessageCompression? {
        switch value {
        case "identity", "": return nil
        case "gzip": return .gzip
        case "deflate": return .deflate
        default:
            throw RPCError(code: .unimplemented,
                           message: "Unsupported grpc-encoding '\(value)': supported are \(acceptEncodingHeader)")
        }
    }

    /// Picks the response compression from `grpc-accept-encoding`, preferring gzip.
    public static func negotiate(acceptEncoding value: String) -> MessageCompression? {
        let offered = value.split(separator: ",").map { $0.trimmingSpaces }
        if offered.contains("gzip") { return .gzip }
        if offered.contains("deflate") { return .deflate }
        return nil
    }

    /// Compresses `bytes`.
    public func compress(_ bytes: ArraySlice<UInt8>) throws(RPCError) -> [UInt8] {
        var stream = z_stream()
        let initResult: Int32 = switch self {
        case .gzip: sma_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION)
        case .deflate: sma_deflate_init_zlib(&stream, Z_DEFAULT_COMPRESSION)
        }
        guard initResult == Z_OK else { throw RPCError(code: .internal, message: "\(rawValue) init failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let produced: Int = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                let result = CZlib.deflate(&stream, Z_FINISH)
                return result == Z_STREAM_END ? Int(stream.total_out) : -1
            }
        }
        guard produced >= 0 else { throw RPCError(code: .internal, message: "\(rawValue) compression failed") }
        output.removeLast(output.count - produced)
        return output
    }

    /// Decompresses `bytes`, refusing output larger than `limit` (a zip bomb never expands
    /// beyond the maximum message size).
    public func decompress(_ bytes: [UInt8], limit: Int) throws(RPCError) -> [UInt8] {
        var stream = z_stream()
        let initResult: Int32 = switch self {
        case .gzip: sma_inflate_init_gzip(&stream)
        case .deflate: sma_inflate_init_zlib(&stream)
        }
        guard initResult == Z_OK else { throw RPCError(code: .internal, message: "\(rawValue) init failed") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var status: Int32 = Z_OK
        var failure: RPCError?
        bytes.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBytes { out in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(out.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END {
                    failure = RPCError(code: .internal, message: "Could not decompress \(rawValue) message: corrupt data")
                    return
                }
                if output.count + produced > limit {
                    failure = RPCError(code: .resourceExhausted,
                                       message: "Decompressed message larger than max (\(limit) bytes)")
                    return
                }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    failure = RPCError(code: .internal, message: "Truncated \(rawValue) message")
                    return
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
