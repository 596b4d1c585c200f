// type: xdp
// run: no
// what: an XDP program returning the context pointer (with privileges); not run: the return value is an address
r0 = r1
exit
