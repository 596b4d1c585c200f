// type: socket_filter

// what: an ALU instruction with a non-zero offset field
// patch: 1 off=1
r0 = 0
w0 += 1
exit
