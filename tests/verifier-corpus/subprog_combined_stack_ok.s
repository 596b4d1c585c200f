// type: socket_filter

// what: 256 + 256 bytes of stack over two frames
*(u64 *)(r10 -256) = 0
call f
r0 = 0
exit
f:
*(u64 *)(r10 -256) = 0
r0 = 0
exit
