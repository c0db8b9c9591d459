import CCrypto
import Foundation

/// Derives event ids from the command id, so a retried command produces the same ids and the
/// store recognises it as a retry.
///
/// The id is a version-8 UUID made of the first 16 bytes of SHA-256 (OpenSSL's libcrypto) over
/// `command id, 0, stream, 0, index (64-bit little endian)`. A cryptographic hash matters
/// here: the store treats an append whose event ids are already stored as a retry of that
/// append, so a client able to construct another command's event ids could otherwise have a
/// victim's command acknowledged without being written.
@usableFromInline
enum EventIdentity {
    @usableFromInline
    static func eventID(commandId: String, stream: String, index: Int) -> UUID {
        var commandId = commandId
        var stream = stream
        return commandId.withUTF8 { command in
            stream.withUTF8 { stream in
                let length = command.count + 1 + stream.count + 1 + 8
                return withUnsafeTemporaryAllocation(byteCount: length + 32, alignment: 8) { buffer in
                    let input = buffer.baseAddress!
                    var offset = 0
                    if let base = command.baseAddress { input.copyMemory(from: base, byteCount: command.count) }
                    offset += command.count
                    input.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                    offset += 1
                    if let base = stream.baseAddress { (input + offset).copyMemory(from: base, byteCount: stream.count) }
                    offset += stream.count
                    input.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                    offset += 1
                    input.storeBytes(of: UInt64(truncatingIfNeeded: index).littleEndian, toByteOffset: offset, as: UInt64.self)
                    let digest = (input + length).assumingMemoryBound(to: UInt8.self)
                    // OpenSSL's SHA-256 without EVP (see CCrypto's shim.h): EVP allocated and
                    // freed a provider context per digest.
                    guard sma_sha256(input, length, digest) == 1 else { fatalError("SHA-256 failed") }
                    digest[6] = (digest[6] & 0x0F) | 0x80  // version 8: custom
                    digest[8] = (digest[8] & 0x3F) | 0x80  // RFC 4122 variant
                    return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                                       digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
                }
            }
        }
    }
}
