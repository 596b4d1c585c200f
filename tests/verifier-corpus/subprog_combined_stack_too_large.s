// type: socket_filter

// what: 320 + 320 bytes of stack over two frames (the combined limit is 512)
*(u64 *)(r10 -320) = 0
call f
r0 = 0
exit
f:
*(u64 *)(r10 -320) = 0
r0 = 0
exit
