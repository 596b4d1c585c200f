// type: socket_filter

// what: an arithmetic shift by -1 (an immediate 0xffffffff)
r0 = 1
r0 s>>= -1
exit
