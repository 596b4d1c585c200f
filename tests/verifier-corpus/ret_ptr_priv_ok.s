// type: socket_filter

// run: no
// what: returning the frame pointer with privileges; not run: the return value is an address
r0 = r10
exit
