// type: socket_filter

// what: a byte swap of 8 bits (imm must be 16, 32 or 64)
// patch: 1 imm=8
r0 = 1
r0 = be16 r0
exit
