#define _GNU_SOURCE
#include "LabSys.h"
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>

void lab_malloc_keep_heap_grown(long top_pad, long trim_threshold) {
    mallopt(M_TOP_PAD, (int)top_pad);
    mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
}

// The lowest address of this thread's stack and its size, looked up once per thread.
static _Thread_local char *stack_low;
static _Thread_local size_t stack_size;

int lab_stack_is_low(void) {
    char here;
    if (!stack_low) {
        pthread_attr_t attr;
        void *addr;
        size_t size;
        if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
        stack_low = addr;
        stack_size = size;
    }
    return (size_t)(&here - stack_low) < stack_size / 4;
}

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

int lab_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int lab_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = token};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int lab_epoll_remove(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int lab_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n;
    do {
        n = epoll_wait(epfd, events, max, timeout_ms);
    } while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) tokens[i] = events[i].data.u64;
    return n;
}

int lab_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

void lab_eventfd_signal(int fd) {
    uint64_t one = 1;
    (void)!write(fd, &one, sizeof one);
}

void lab_eventfd_drain(int fd) {
    uint64_t count;
    (void)!read(fd, &count, sizeof count);
}
