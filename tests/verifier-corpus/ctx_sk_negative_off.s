// type: socket_filter

// what: a negative offset into the context
r0 = *(u32 *)(r1 -4)
exit
