// type: socket_filter

// what: a jump from the main program into a function body
r0 = 0
if r0 == 0 goto inside
exit
call f
exit
f:
r0 = 1
inside:
exit
