// type: socket_filter

// what: a 64-bit constant whose second half is the last slot and an exit
// patch: 2 code=0x18 dst=0
r0 = 0
exit
exit
