#ifndef LAB_SYS_H
#define LAB_SYS_H

/// Names the calling thread for `top -H`, perf and gdb (at most 15 bytes are kept; longer names
/// are cut at a character). `pthread_setname_np` is a GNU extension that Swift's Glibc module
/// does not show.
void lab_name_this_thread(const char *name);

/// Whether less than a quarter of the calling thread's stack is left (stacks grow down).
int lab_stack_is_low(void);

#include <stdint.h>

/// epoll and eventfd, which Swift's Glibc module does not show. Each watched descriptor carries a
/// 64-bit token; the wait returns the tokens of the ready ones (Linux's `epoll_event` is packed).
int lab_epoll_create(void);
/// Level-triggered for input (`edge` 0: reported while data is waiting), or edge-triggered for
/// input and output (`edge` 1: reported once each time the socket becomes readable or writable).
int lab_epoll_add(int epfd, int fd, uint64_t token, int edge);
int lab_epoll_remove(int epfd, int fd);
/// What a wait reports of a descriptor: data or the end of the stream, room to write.
enum { LAB_POLL_READABLE = 1, LAB_POLL_WRITABLE = 2 };
/// Waits at most `timeout_ms` (-1: for ever); fills `tokens` and `events` (LAB_POLL_ bits) and
/// returns how many, or -1.
int lab_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms);
/// Raises this process's limit on open descriptors to the most it may have, as Go's runtime does
/// at start; returns the new limit.
long lab_raise_file_limit(void);
/// A non-blocking eventfd: `lab_eventfd_signal` makes it readable, `lab_eventfd_drain` clears it.
int lab_eventfd(void);
void lab_eventfd_signal(int fd);
void lab_eventfd_drain(int fd);
/// Makes this process a subreaper: orphans among its descendants become its children, not
/// init's (prctl is variadic, so Swift cannot call it). Returns 0, or -1.
int lab_become_subreaper(void);

/// On a crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT), print the stack to standard
/// error as lines `lab-crash-frame <binary path> 0x<offset in it>`, innermost first, then die of the
/// same signal. Whoever reads standard error (the grader) turns them into file:line with a
/// symbolizer: the dying process does not try to.
void lab_print_frames_on_crash(void);

#endif
