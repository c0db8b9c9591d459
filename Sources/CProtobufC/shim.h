#ifndef SMA_CPROTOBUFC_SHIM_H
#define SMA_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>

/* The shared default of unset string fields (an array symbol Swift cannot take the address of). */
static inline const char *sma_protobuf_c_empty_string(void) { return protobuf_c_empty_string; }
#endif
