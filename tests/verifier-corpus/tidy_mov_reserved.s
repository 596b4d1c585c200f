// type: socket_filter

// what: a MOV-immediate with a non-zero src_reg field
// patch: 0 src=2
r0 = 0
exit
