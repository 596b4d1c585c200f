// type: socket_filter

// what: a function that falls through into the next one
call f
call g
exit
f:
r0 = 1
g:
r0 = 2
exit
