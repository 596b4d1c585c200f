// type: socket_filter

// what: a read below the 512-byte stack
r0 = *(u32 *)(r10 -516)
exit
