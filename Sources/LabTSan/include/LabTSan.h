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

#endif
