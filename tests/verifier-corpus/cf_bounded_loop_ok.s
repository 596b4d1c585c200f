// type: socket_filter

// what: a loop of 10 iterations on a known counter; returns 45
r0 = 0
r1 = 0
loop:
r0 += r1
r1 += 1
if r1 < 10 goto loop
exit
