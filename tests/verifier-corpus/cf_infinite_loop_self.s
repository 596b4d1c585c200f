// type: socket_filter
// what: a jump to itself
r0 = 0
loop:
goto loop
