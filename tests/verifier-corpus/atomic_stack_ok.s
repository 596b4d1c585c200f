// type: socket_filter

// what: atomic add, fetch-add, xchg and cmpxchg on the stack; returns 3
*(u64 *)(r10 -8) = 1
r1 = 1
lock *(u64 *)(r10 -8) += r1
r1 = 1
r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)
r0 = 3
r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)
r1 = 5
r1 = atomic64_xchg((u64 *)(r10 -8), r1)
r0 = *(u64 *)(r10 -8)
r0 -= 2
exit
