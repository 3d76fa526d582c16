#ifndef LAB_TSAN_H
#define LAB_TSAN_H

/// Number of ThreadSanitizer reports printed by this process so far (0 without TSan).
long lab_tsan_report_count(void);

/// The file this process's ThreadSanitizer reports are written to (`/tmp/lab-tsan.PID`).
const char *lab_tsan_log_path(void);

/// 1 when this process was built with ThreadSanitizer (`--sanitize=thread`), else 0.
int lab_tsan_enabled(void);

/// Between these two, ThreadSanitizer neither records this thread's reads nor learns from its
/// synchronization (its locks order nothing). For the harness, which must look at what the code
/// under test is doing without ordering that code's own accesses (and so hiding its races).
/// No-ops without ThreadSanitizer.
void lab_tsan_unseen_begin(void);
void lab_tsan_unseen_end(void);
/// Ends every unseen region of this thread: a thread that ends inside one stops the process.
void lab_tsan_unseen_clear(void);
/// How many unseen regions this thread is inside.
int lab_tsan_unseen_depth(void);

/// Tells ThreadSanitizer of an order it cannot see: everything this thread did before
/// `lab_tsan_release(a)` happens before everything a thread does after a later
/// `lab_tsan_acquire(a)`, as an unlock orders what the next lock holder does. For the lab's own
/// primitives, whose hand-overs run unseen. No-ops without ThreadSanitizer, and while unseen.
void lab_tsan_acquire(const void *address);
void lab_tsan_release(const void *address);

#endif
