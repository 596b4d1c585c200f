// type: socket_filter

// what: opcode 0xff
// patch: 0 code=0xff
r0 = 0
exit
