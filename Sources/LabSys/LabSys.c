#define _GNU_SOURCE
#include <sys/prctl.h>
#include "LabSys.h"
#include <pthread.h>
#include <stdint.h>
#include <string.h>

void lab_name_this_thread(const char *name) {
    char cut[16];
    size_t n = 0;
    while (name[n] && n < 15) n++;
    while (n > 0 && n < 15 + 1 && name[n] && (name[n] & 0xC0) == 0x80) n--;  // not inside a character
    memcpy(cut, name, n);
    cut[n] = 0;
    pthread_setname_np(pthread_self(), cut);
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

int lab_epoll_add(int epfd, int fd, uint64_t token, int edge) {
    uint32_t events = edge ? (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET) : (EPOLLIN | EPOLLRDHUP);
    struct epoll_event ev = {.events = events, .data.u64 = token};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int lab_epoll_remove(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int lab_epoll_wait(int epfd, uint64_t *tokens, uint32_t *kinds, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n;
    do {
        n = epoll_wait(epfd, events, max, timeout_ms);
    } while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) {
        uint32_t e = events[i].events;
        tokens[i] = events[i].data.u64;
        kinds[i] = ((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) ? LAB_POLL_READABLE : 0)
                 | ((e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) ? LAB_POLL_WRITABLE : 0);
    }
    return n;
}

#include <sys/resource.h>

long lab_raise_file_limit(void) {
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return -1;
    if (r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
        getrlimit(RLIMIT_NOFILE, &r);
    }
    return (long)r.rlim_cur;
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

int lab_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

#include <dlfcn.h>
#include <stdatomic.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int lab_crashing;

static void lab_crash_handler(int sig) {
    // Another thread crashing at the same moment waits here: had it died of the default action,
    // the process would end before the first one printed its stack.
    if (atomic_exchange(&lab_crashing, 1)) {
        for (;;) pause();
    }
    void *frames[64];
    int n = backtrace(frames, 64);
    for (int i = 0; i < n; i++) {
        Dl_info info;
        if (dladdr(frames[i], &info) && info.dli_fname && info.dli_fbase) {
            // The return address is one past the call: step back into it, as symbolizers expect.
            unsigned long offset = (unsigned long)((char *)frames[i] - (char *)info.dli_fbase) - (i > 0 ? 1 : 0);
            dprintf(2, "lab-crash-frame %s 0x%lx\n", info.dli_fname, offset);
        }
    }
    signal(sig, SIG_DFL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, sig);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(sig);
}

void lab_print_frames_on_crash(void) {
    static char alternate[64 * 1024];  // a stack overflow leaves no stack to run the handler on
    stack_t ss = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    void *warm[1];
    backtrace(warm, 1);  // the first call loads the unwinder, which a signal handler must not
    struct sigaction sa = {0};
    sa.sa_handler = lab_crash_handler;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &sa, NULL);
}
