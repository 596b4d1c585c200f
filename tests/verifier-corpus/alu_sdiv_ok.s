// type: socket_filter

// what: signed division -7 s/ 2 = -3; returns 0xfffffffd
r0 = -7
r0 s/= 2
exit
