// ThreadSanitizer calls `__tsan_on_report` once for every report it prints, and reads its
// options from `__tsan_default_options`: both are weak hooks that this file defines.
// A report does not fail a test by itself, so tests count reports here (before and after a body).
#include "LabTSan.h"
#include <stdatomic.h>

static _Atomic long report_count;

// Not instrumented: ThreadSanitizer calls this while it holds its own locks, and an instrumented
// function's entry may need one of them (a trace switch at the entry deadlocks the process).
__attribute__((disable_sanitizer_instrumentation))
void __tsan_on_report(void *report) {
    (void)report;
    atomic_fetch_add(&report_count, 1);
}

// - suppress_equal_*=0: the same racy code run by two tests must be reported in both,
//   or the second test would count zero races.
// - history_size: longer history so both stacks of a race are found in long runs.
// - atexit_sleep_ms=0: by default every process sleeps 1 s at exit so that stray threads can still
//   report; the lab's programs finish their threads before exiting and its checks count races
//   while they run, so the sleep only cost a second per program run (the grader runs dozens).
// - log_path: reports go to a file of the process's own (`lab_tsan_log_path`), not to standard
//   error. Tests race on purpose to prove the checks, and their expected reports filled the log of
//   a passing run with thousands of lines; a test that gets a report it did not expect puts the
//   report in its own failure message instead, where it cannot be missed.
//   A crash is ThreadSanitizer's to report (left to the Swift runtime's backtracer instead, a
//   crash under ThreadSanitizer hung the process in 3 runs of 6): its report goes to that file
//   too, so the death callback below copies it to standard error, where the student looks.
const char *__tsan_default_options(void) {
    return "suppress_equal_stacks=0:suppress_equal_addresses=0:history_size=4:atexit_sleep_ms=0"
           ":log_path=/tmp/lab-tsan";
}

// Fixtures race on purpose, so a run that reported races must not fail for that: the per-test
// counts decide what fails. ThreadSanitizer asks this hook at exit whether its reports should
// fail the process, and it is told no. Its exit code for everything else (a crash it caught, a
// check of its own that failed) stays 66: a run that crashed must never look like one that passed,
// as it did with `exitcode=0`. It is also the last thing ThreadSanitizer does at exit, after its
// last reports, so an empty log is removed here (one that a signal ended is left, empty).
static void remove_empty_log(void);

int __tsan_on_finalize(int failed) {
    (void)failed;
    remove_empty_log();
    return 0;
}

// A known false report, not a race (https://github.com/swiftlang/swift/issues/57803, still seen
// with Swift 6.3): when a continuation is resumed on one thread just as its task reaches the await
// on another, ThreadSanitizer does not see the runtime's synchronization between the two, and
// reports the continuation's own result slot as raced. Seen here about one run in three when the
// lab's timer resumes a sleep of under a millisecond. "Scc6resume" matches the mangled names of
// UnsafeContinuation.resume (and CheckedContinuation's, which calls it); no user code runs inside
// them, so a real race in a program is never hidden by this.
const char *__tsan_default_suppressions(void) {
    return "race:Scc6resume\n";
}

long lab_tsan_report_count(void) { return atomic_load(&report_count); }

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// The log, opened at start (see `lab_tsan_install`); -1 without ThreadSanitizer.
static int log_fd = -1;

const char *lab_tsan_log_path(void) {
    static char path[64];
    // The user in the name too: a log left by another user (root, grading) under a reused pid
    // could not be opened, and ThreadSanitizer would end the process at its first report.
    snprintf(path, sizeof path, "/tmp/lab-tsan.%d.%d", (int)getuid(), (int)getpid());
    return path;
}

// When ThreadSanitizer ends the process (a crash it caught, a check of its own that failed), it
// calls this last: the report it just wrote to the log goes to standard error as well. Plain
// system calls only, in a process that is dying.
static void copy_last_report_to_stderr(void) {
    static char tail[32768];
    int fd = log_fd >= 0 ? log_fd : open(lab_tsan_log_path(), O_RDONLY);
    if (fd < 0) return;
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > (off_t)sizeof tail ? size - (off_t)sizeof tail : 0;
    ssize_t n = pread(fd, tail, sizeof tail, from);
    if (fd != log_fd) close(fd);
    if (n <= 0) return;
    // From the start of the last report that ended the process: a caught signal, else an error.
    ssize_t start = 0;
    const char *marks[] = {"ThreadSanitizer:DEADLYSIGNAL", "ERROR: ThreadSanitizer"};
    for (int m = 0; m < 2 && start == 0; m++) {
        size_t len = strlen(marks[m]);
        for (ssize_t i = 0; i + (ssize_t)len <= n; i++) {
            if (memcmp(tail + i, marks[m], len) == 0) {
                ssize_t line = i;
                while (line > 0 && tail[line - 1] != '\n') line--;
                start = line;
            }
        }
    }
    (void)!write(2, tail + start, (size_t)(n - start));
}

static void remove_empty_log(void) {
    struct stat st;
    if (log_fd >= 0 && fstat(log_fd, &st) == 0 && st.st_size == 0) unlink(lab_tsan_log_path());
}

extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

// The log is opened here, at start, and handed to ThreadSanitizer, which would otherwise open it
// at its first report: a process at its descriptor limit (a server under a flood of connections)
// could not, and ThreadSanitizer ends a process whose log it cannot open ("Can't open file",
// exit 66). It did, in CI: a report at the limit, where the symbolizer (a process reached by a
// socket pair) cannot start either, so not even a known false report could be suppressed.
// Truncated, since pids are reused (thousands of processes run in a test pass): a test that noted
// an old log's size would read from that size on, and find nothing.
__attribute__((constructor)) static void lab_tsan_install(void) {
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(copy_last_report_to_stderr);
    if (!lab_tsan_enabled()) return;
    log_fd = open(lab_tsan_log_path(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd >= 0 && __sanitizer_set_report_fd) __sanitizer_set_report_fd((void *)(long)log_fd);
}

int lab_tsan_enabled(void) {
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
    return 1;
#endif
#endif
    return 0;
}

// ThreadSanitizer's dynamic annotations, in its runtime when the program is built with it; weak,
// so that without it they are null and the calls below are skipped.
void AnnotateIgnoreSyncBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreSyncEnd(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreReadsBegin(const char *file, int line) __attribute__((weak));
void AnnotateIgnoreReadsEnd(const char *file, int line) __attribute__((weak));

static __thread int unseen_depth;

void lab_tsan_unseen_begin(void) {
    unseen_depth++;
    if (AnnotateIgnoreSyncBegin) AnnotateIgnoreSyncBegin(__FILE__, __LINE__);
    if (AnnotateIgnoreReadsBegin) AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
}

void lab_tsan_unseen_end(void) {
    unseen_depth--;
    if (AnnotateIgnoreReadsEnd) AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    if (AnnotateIgnoreSyncEnd) AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
}

int lab_tsan_unseen_depth(void) { return unseen_depth; }

void lab_tsan_unseen_clear(void) {
    while (unseen_depth > 0) lab_tsan_unseen_end();
}

void __tsan_acquire(void *address) __attribute__((weak));
void __tsan_release(void *address) __attribute__((weak));

void lab_tsan_acquire(const void *address) {
    if (__tsan_acquire) __tsan_acquire((void *)address);
}

void lab_tsan_release(const void *address) {
    if (__tsan_release) __tsan_release((void *)address);
}
