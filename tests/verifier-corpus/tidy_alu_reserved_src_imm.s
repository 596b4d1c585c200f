// type: socket_filter

// what: an ALU-immediate instruction with a non-zero src_reg field
// patch: 1 src=1
r0 = 0
r0 += 1
exit
