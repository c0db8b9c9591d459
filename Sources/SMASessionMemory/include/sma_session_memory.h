// A free-list cache in front of malloc for nghttp2's sessions on one event loop.
//
// A unary call makes nghttp2 allocate and free eight small blocks (its stream, three outbound
// frames, header buffers); through malloc and free that was ~4% of the call's CPU. nghttp2 takes
// an allocator per session (`nghttp2_mem`); SMA gives every session of a loop the same pool,
// which keeps freed blocks of up to 256 bytes per size class and hands them out again.
//
// Not thread-safe, by design: a pool is used only on its loop's thread, as are the sessions.
// Each class holds at most SMA_SESSION_MEMORY_MAX_CACHED blocks (beyond that, blocks go back to
// malloc), so a pool caches at most ~1.2 MB.
#ifndef SMA_SESSION_MEMORY_H
#define SMA_SESSION_MEMORY_H

#include <stddef.h>

#define SMA_SESSION_MEMORY_MAX_CACHED 512

typedef struct sma_session_memory sma_session_memory;

/// A new, empty pool; NULL when out of memory.
sma_session_memory *sma_session_memory_create(void);

/// Frees the pool and the blocks it caches. Every block it handed out must have been freed.
void sma_session_memory_destroy(sma_session_memory *pool);

/// Blocks the pool caches now (for tests).
size_t sma_session_memory_cached(const sma_session_memory *pool);

// nghttp2_mem's four functions; `pool` is the sma_session_memory (nghttp2's mem_user_data).
void *sma_session_memory_malloc(size_t size, void *pool);
void sma_session_memory_free(void *ptr, void *pool);
void *sma_session_memory_calloc(size_t count, size_t size, void *pool);
void *sma_session_memory_realloc(void *ptr, size_t size, void *pool);

#endif
