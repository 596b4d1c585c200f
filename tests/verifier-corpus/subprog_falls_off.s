// type: socket_filter

// what: the last function does not end with exit
call f
exit
f:
r0 = 0
