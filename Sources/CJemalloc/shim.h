#ifndef SMA_CJEMALLOC_SHIM_H
#define SMA_CJEMALLOC_SHIM_H
#include <stddef.h>

/* jemalloc replaces malloc/free process-wide once linked (Debian builds it without a symbol
 * prefix). Only its control interface is declared here: including <jemalloc/jemalloc.h> would
 * declare malloc and free a second time next to Glibc's module. */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#endif
