// CRC-32C (Castagnoli) with the CPU's own instruction: SSE4.2 `crc32` on x86-64, the ARMv8 CRC
// extension on arm64. Swift has no intrinsics for either (SMA's other C of its own is
// SMASessionMemory, nghttp2's allocator).
// The event store keeps its table-driven Swift implementation for CPUs without them.
#ifndef SMA_CRC32C_H
#define SMA_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when `sma_crc32c_update` may be called on this CPU, 0 otherwise.
int sma_crc32c_hardware(void);

/// Continues checksum `crc` (of earlier bytes; 0 to start) over `length` bytes at `data`.
uint32_t sma_crc32c_update(uint32_t crc, const void *data, size_t length);

#endif
