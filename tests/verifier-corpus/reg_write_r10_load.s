// type: socket_filter

// what: loading into r10
r10 = *(u32 *)(r1 +0)
r0 = 0
exit
