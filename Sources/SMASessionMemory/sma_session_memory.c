#include "sma_session_memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// Small blocks (up to SMALL_LIMIT bytes) are carved from one reserved address range per pool,
// split into a sub-range per 16-byte size class, so a block's class follows from its address:
// no header, and `free` tells the pool's blocks from malloc's with two comparisons. Pages are
// reserved, not committed: memory is used only as blocks are first handed out. Freed blocks go
// on their class's LIFO list (the most recently used, still in the CPU's cache, comes back first).
// A class whose sub-range is used up falls back to malloc.
#define SMALL_LIMIT 256
#define CLASS_COUNT (SMALL_LIMIT / 16)
#define CLASS_SPAN ((size_t)SMA_SESSION_MEMORY_CLASS_BYTES)

typedef struct block {
    struct block *next;
} block;

struct sma_session_memory {
    char *base;                   // CLASS_COUNT sub-ranges of CLASS_SPAN bytes; class i+1 at i·CLASS_SPAN
    char *bump[CLASS_COUNT];      // next never-used block of each class
    block *free[CLASS_COUNT];
    size_t cached;
};

sma_session_memory *sma_session_memory_create(void) {
    sma_session_memory *pool = calloc(1, sizeof(sma_session_memory));
    if (pool == NULL) return NULL;
    void *base = mmap(NULL, CLASS_COUNT * CLASS_SPAN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        free(pool);
        return NULL;
    }
    pool->base = base;
    for (size_t index = 0; index < CLASS_COUNT; index++) pool->bump[index] = pool->base + index * CLASS_SPAN;
    return pool;
}

void sma_session_memory_destroy(sma_session_memory *pool) {
    if (pool == NULL) return;
    munmap(pool->base, CLASS_COUNT * CLASS_SPAN);
    free(pool);
}

size_t sma_session_memory_cached(const sma_session_memory *pool) { return pool->cached; }

static inline int owns(const sma_session_memory *pool, const void *ptr) {
    return (const char *)ptr >= pool->base && (const char *)ptr < pool->base + CLASS_COUNT * CLASS_SPAN;
}

void *sma_session_memory_malloc(size_t size, void *opaque) {
    sma_session_memory *pool = opaque;
    if (size > SMALL_LIMIT) return malloc(size);
    size_t index = size == 0 ? 0 : (size - 1) >> 4;  // class index+1 holds blocks of 16·(index+1) bytes
    block *reused = pool->free[index];
    if (reused != NULL) {
        pool->free[index] = reused->next;
        pool->cached--;
        return reused;
    }
    size_t blockSize = (index + 1) << 4;
    char *next = pool->bump[index];
    if (next + blockSize <= pool->base + (index + 1) * CLASS_SPAN) {
        pool->bump[index] = next + blockSize;
        return next;
    }
    return malloc(size);
}

void sma_session_memory_free(void *ptr, void *opaque) {
    sma_session_memory *pool = opaque;
    if (!owns(pool, ptr)) {
        free(ptr);  // malloc's block (or NULL)
        return;
    }
    size_t index = (size_t)((char *)ptr - pool->base) / CLASS_SPAN;
    block *freed = ptr;
    freed->next = pool->free[index];
    pool->free[index] = freed;
    pool->cached++;
}

void *sma_session_memory_calloc(size_t count, size_t size, void *pool) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *ptr = sma_session_memory_malloc(count * size, pool);
    if (ptr != NULL) memset(ptr, 0, count * size);
    return ptr;
}

void *sma_session_memory_realloc(void *ptr, size_t size, void *opaque) {
    sma_session_memory *pool = opaque;
    if (ptr == NULL) return sma_session_memory_malloc(size, pool);
    if (!owns(pool, ptr)) return realloc(ptr, size);
    size_t capacity = ((size_t)((char *)ptr - pool->base) / CLASS_SPAN + 1) << 4;
    if (size <= capacity) return ptr;  // fits where it is
    void *moved = sma_session_memory_malloc(size, pool);
    if (moved == NULL) return NULL;  // like realloc: the old block stays valid
    memcpy(moved, ptr, capacity);
    sma_session_memory_free(ptr, pool);
    return moved;
}
