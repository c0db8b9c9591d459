#ifndef SMA_CCRYPTO_SHIM_H
#define SMA_CCRYPTO_SHIM_H
/* OpenSSL's libcrypto: SHA-256 for deterministic event ids (never our own crypto). */
#include <openssl/evp.h>
#endif
