// type: tracepoint

// what: offset 8192 = PERF_MAX_TRACE_SIZE
r0 = *(u64 *)(r1 +8192)
exit
