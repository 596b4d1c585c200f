// type: socket_filter

// what: an immediate comparison with a non-zero src_reg
// patch: 1 src=1
r0 = 0
if r0 == 0 goto +0
exit
