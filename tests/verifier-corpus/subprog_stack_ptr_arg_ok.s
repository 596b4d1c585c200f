// type: socket_filter

// what: the caller passes a pointer to its stack; the callee writes through it; returns 9
r1 = r10
r1 += -8
call put
r0 = *(u64 *)(r10 -8)
exit
put:
r2 = 9
*(u64 *)(r1 +0) = r2
r0 = 0
exit
