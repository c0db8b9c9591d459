#ifndef SMA_CZLIB_SHIM_H
#define SMA_CZLIB_SHIM_H
#include <zlib.h>
/* deflateInit2/inflateInit2 are macros: wrap them for Swift. */
static inline int sma_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int sma_inflate_init_gzip(z_streamp strm) {
    return inflateInit2(strm, 15 + 32); /* auto-detect gzip or zlib */
}
static inline int sma_deflate_init_zlib(z_streamp strm, int level) {
    return deflateInit(strm, level);
}
static inline int sma_inflate_init_zlib(z_streamp strm) {
    return inflateInit(strm);
}
#endif
