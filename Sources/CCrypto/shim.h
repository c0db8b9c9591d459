#ifndef SMA_CCRYPTO_SHIM_H
#define SMA_CCRYPTO_SHIM_H
/* OpenSSL's libcrypto: SHA-256 for deterministic event ids (never our own crypto). */
/* The low-level SHA256_* calls are deprecated in OpenSSL 3 in favour of EVP, but still part of
 * its API: sma_sha256 uses them because EVP allocates and frees the provider's context on every
 * digest (measured: more than half the cost of a short event id's hash). Same implementation
 * underneath (OpenSSL's assembly), so the digest is bit for bit the same. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/sha.h>

/* SHA-256 of `length` bytes at `data` into `digest` (32 bytes). Returns 1 on success. */
static inline int sma_sha256(const void *data, size_t length, unsigned char *digest) {
    SHA256_CTX context;
    if (SHA256_Init(&context) != 1) return 0;
    if (SHA256_Update(&context, data, length) != 1) return 0;
    return SHA256_Final(digest, &context);
}
#endif
