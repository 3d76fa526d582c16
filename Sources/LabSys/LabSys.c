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
