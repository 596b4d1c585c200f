// type: socket_filter

// what: a 64-bit constant whose second slot has an opcode
// patch: 1 code=0xb7
r0 = 1 ll
exit
