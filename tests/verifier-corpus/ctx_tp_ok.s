// type: tracepoint

// what: a tracepoint's fields after the 8-byte common header
r0 = *(u64 *)(r1 +8)
r0 = *(u32 *)(r1 +16)
exit
