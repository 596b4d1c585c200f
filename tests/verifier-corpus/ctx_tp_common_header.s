// type: tracepoint

// what: the first 8 bytes (common fields) of a tracepoint's context are not readable
r0 = *(u64 *)(r1 +0)
exit
