// type: tracepoint

// what: a large offset (4096) is fine: only PERF_MAX_TRACE_SIZE (8192) bounds it
r0 = *(u64 *)(r1 +4096)
exit
