// type: socket_filter

// what: be16 of 0x1234 is 0x3412 on little-endian
r0 = 0x1234
r0 = be16 r0
exit
