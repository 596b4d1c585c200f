// type: socket_filter

// what: a byte swap with a non-zero offset
// patch: 1 off=1
r0 = 1
r0 = be16 r0
exit
