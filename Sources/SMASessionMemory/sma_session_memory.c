#include "sma_session_memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Every block starts with a 16-byte header (keeping the caller's pointer 16-byte aligned) that
// holds its capacity: a multiple of 16 up to SMALL_LIMIT for cached size classes, the exact
// requested size (always above SMALL_LIMIT) for the others.
#define HEADER 16
#define SMALL_LIMIT 256
#define CLASS_COUNT (SMALL_LIMIT / 16 + 1)

// Per class, a stack of free blocks' addresses (not a list through the blocks: taking a block
// then does not read its memory, which is usually no longer in the CPU's cache).
struct sma_session_memory {
    unsigned cached[CLASS_COUNT];
    void *free[CLASS_COUNT][SMA_SESSION_MEMORY_MAX_CACHED];
};

static inline size_t *capacity_of(void *ptr) { return (size_t *)((char *)ptr - HEADER); }

sma_session_memory *sma_session_memory_create(void) {
    return calloc(1, sizeof(sma_session_memory));
}

void sma_session_memory_destroy(sma_session_memory *pool) {
    if (pool == NULL) return;
    for (size_t index = 0; index < CLASS_COUNT; index++) {
        for (unsigned slot = 0; slot < pool->cached[index]; slot++) free(capacity_of(pool->free[index][slot]));
    }
    free(pool);
}

size_t sma_session_memory_cached(const sma_session_memory *pool) {
    size_t total = 0;
    for (size_t index = 0; index < CLASS_COUNT; index++) total += pool->cached[index];
    return total;
}

static void *allocate(size_t capacity) {
    if (capacity > SIZE_MAX - HEADER) return NULL;
    size_t *header = malloc(HEADER + capacity);
    if (header == NULL) return NULL;
    *header = capacity;
    return (char *)header + HEADER;
}

void *sma_session_memory_malloc(size_t size, void *opaque) {
    sma_session_memory *pool = opaque;
    if (size > SMALL_LIMIT) return allocate(size);
    size_t index = size == 0 ? 1 : (size + 15) >> 4;
    if (pool->cached[index] > 0) return pool->free[index][--pool->cached[index]];
    return allocate(index << 4);
}

void sma_session_memory_free(void *ptr, void *opaque) {
    if (ptr == NULL) return;
    sma_session_memory *pool = opaque;
    size_t capacity = *capacity_of(ptr);
    if (capacity <= SMALL_LIMIT) {
        size_t index = capacity >> 4;
        if (pool->cached[index] < SMA_SESSION_MEMORY_MAX_CACHED) {
            pool->free[index][pool->cached[index]++] = ptr;
            return;
        }
    }
    free(capacity_of(ptr));
}

void *sma_session_memory_calloc(size_t count, size_t size, void *pool) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *ptr = sma_session_memory_malloc(count * size, pool);
    if (ptr != NULL) memset(ptr, 0, count * size);
    return ptr;
}

void *sma_session_memory_realloc(void *ptr, size_t size, void *pool) {
    if (ptr == NULL) return sma_session_memory_malloc(size, pool);
    size_t capacity = *capacity_of(ptr);
    if (size <= capacity) return ptr;  // fits where it is; the block keeps its capacity
    void *moved = sma_session_memory_malloc(size, pool);
    if (moved == NULL) return NULL;  // like realloc: the old block stays valid
    memcpy(moved, ptr, size < capacity ? size : capacity);
    sma_session_memory_free(ptr, pool);
    return moved;
}
