// type: socket_filter

// what: a call to a function returning 7; returns 7
call f
exit
f:
r0 = 7
exit
