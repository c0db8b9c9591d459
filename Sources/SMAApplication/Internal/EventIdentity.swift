import CCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
    /// SHA-256 fetched once: `SHA256()` looks the algorithm up in OpenSSL 3's provider
    /// registry on every call, which cost more than the hashing.
    nonisolated(unsafe) private static let sha256: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else { fatalError("OpenSSL has no SHA-256") }
        return md
    }()

    /// One digest context per thread, reused: `EVP_Digest` allocates and frees a context and
    /// the provider's state on every call (~40% of the hash's cost).
    private static let contextKey: pthread_key_t = {
        var key = pthread_key_t()
        guard pthread_key_create(&key, { context in EVP_MD_CTX_free(OpaquePointer(context)) }) == 0 else {
            fatalError("pthread_key_create failed")
        }
        return key
    }()

    private static func threadContext() -> OpaquePointer {
        if let context = pthread_getspecific(contextKey) { return OpaquePointer(context) }
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        pthread_setspecific(contextKey, UnsafeRawPointer(context))
        return context
    }

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
                    var digestLength: UInt32 = 0
                    let context = threadContext()
                    guard EVP_DigestInit_ex2(context, sha256, nil) == 1, EVP_DigestUpdate(context, input, length) == 1,
                          EVP_DigestFinal_ex(context, digest, &digestLength) == 1, digestLength == 32 else {
                        fatalError("SHA-256 failed")
                    }
                    digest[6] = (digest[6] & 0x0F) | 0x80  // version 8: custom
                    digest[8] = (digest[8] & 0x3F) | 0x80  // RFC 4122 variant
                    return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
                                       digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
                }
            }
        }
    }
}
