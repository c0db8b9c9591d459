#ifndef SMA_CPROTOBUFC_SHIM_H
#define SMA_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
