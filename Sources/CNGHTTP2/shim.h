#ifndef SMA_CNGHTTP2_SHIM_H
#define SMA_CNGHTTP2_SHIM_H
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>

/* Glibc's Swift module hides these; declare them explicitly. */
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/* CPU count this process may run on (respects taskset / cgroup cpusets). */
static inline int sma_affinity_cpu_count(void) {
    unsigned long mask[16];
    __builtin_memset(mask, 0, sizeof(mask));
    if (sched_getaffinity(0, sizeof(mask), (void *)mask) != 0) return 1;
    int n = 0;
    for (unsigned i = 0; i < sizeof(mask) / sizeof(mask[0]); i++) n += __builtin_popcountl(mask[i]);
    return n > 0 ? n : 1;
}
#endif
