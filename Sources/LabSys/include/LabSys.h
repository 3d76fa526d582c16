#ifndef LAB_SYS_H
#define LAB_SYS_H

/// glibc's malloc tuning (mallopt is not visible from Swift's Glibc module): `top_pad` bytes of
/// slack each time a heap grows, and no trimming below `trim_threshold` bytes free at the top.
void lab_malloc_keep_heap_grown(long top_pad, long trim_threshold);

/// Whether less than a quarter of the calling thread's stack is left (stacks grow down).
int lab_stack_is_low(void);

#endif
