// type: tracepoint

// what: an 8-byte load at offset 12
r0 = *(u64 *)(r1 +12)
exit
