// type: socket_filter

// what: a 64-bit constant with the unknown pseudo src_reg 7
// patch: 0 src=7
r0 = 1 ll
exit
