// type: socket_filter

// what: reading stack nobody wrote is allowed with privileges
r0 = *(u64 *)(r10 -8)
r0 = 0
exit
