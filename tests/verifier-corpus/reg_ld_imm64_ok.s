// type: socket_filter

// what: a 64-bit constant; the return value is its low 32 bits
r0 = 0x1122334455667788 ll
exit
