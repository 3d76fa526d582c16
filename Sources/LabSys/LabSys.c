#include "LabSys.h"
#include <malloc.h>

void lab_malloc_keep_heap_grown(long top_pad, long trim_threshold) {
    mallopt(M_TOP_PAD, (int)top_pad);
    mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
}
