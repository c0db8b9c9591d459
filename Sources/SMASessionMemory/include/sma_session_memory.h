// A small-block allocator for nghttp2's sessions on one event loop.
//
// A unary call makes nghttp2 allocate and free eight small blocks (its stream, three outbound
// frames, header buffers); through malloc and free that was ~4% of the call's CPU. nghttp2 takes
// an allocator per session (`nghttp2_mem`); SMA gives every session of a loop the same pool,
// which serves blocks of up to 256 bytes from its own reserved address range, in 16-byte size
// classes, and keeps freed ones for reuse; larger blocks go to malloc.
//
// Memory: each class may use up to SMA_SESSION_MEMORY_CLASS_BYTES (reserved address space,
// committed only as blocks are first used) and keeps what it used for reuse; a class that has
// used its range up falls back to malloc. Not thread-safe, by design: a pool is used only on its
// loop's thread, as are the sessions.
#ifndef SMA_SESSION_MEMORY_H
#define SMA_SESSION_MEMORY_H

#include <stddef.h>

#define SMA_SESSION_MEMORY_CLASS_BYTES (2 << 20)

typedef struct sma_session_memory sma_session_memory;

/// A new, empty pool; NULL when out of memory or when its address range (16 classes of
/// SMA_SESSION_MEMORY_CLASS_BYTES, reserved with MAP_NORESERVE) cannot be mapped.
sma_session_memory *sma_session_memory_create(void);

/// Frees the pool and all its memory. Every block it handed out must have been freed.
void sma_session_memory_destroy(sma_session_memory *pool);

/// Freed blocks the pool keeps for reuse now (for tests).
size_t sma_session_memory_cached(const sma_session_memory *pool);

// nghttp2_mem's four functions; `pool` is the sma_session_memory (nghttp2's mem_user_data).
void *sma_session_memory_malloc(size_t size, void *pool);
void sma_session_memory_free(void *ptr, void *pool);
void *sma_session_memory_calloc(size_t count, size_t size, void *pool);
void *sma_session_memory_realloc(void *ptr, size_t size, void *pool);

#endif
