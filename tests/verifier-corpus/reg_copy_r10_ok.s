// type: socket_filter

// what: r10 may be read and copied
r2 = r10
r2 += -8
*(u64 *)(r2 +0) = 7
r0 = *(u64 *)(r10 -8)
exit
