// type: socket_filter

// what: a function calling itself
call f
exit
f:
call f
r0 = 0
exit
