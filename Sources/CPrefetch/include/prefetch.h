#ifndef PRESCIENT_PREFETCH_H
#define PRESCIENT_PREFETCH_H
/// Asks the CPU to start loading the cache line at `p` for writing (no effect on semantics).
static inline void prescient_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }
#endif
