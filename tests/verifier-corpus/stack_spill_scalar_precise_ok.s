// type: socket_filter

// what: a spilled constant keeps its value: the fill bounds a map-free loop
r1 = 3
*(u64 *)(r10 -8) = r1
r1 = 0
r2 = *(u64 *)(r10 -8)
r0 = r2
exit
