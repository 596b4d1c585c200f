// type: socket_filter

// what: exit with a non-zero src_reg
// patch: 1 src=1
r0 = 0
exit
