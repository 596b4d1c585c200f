// type: socket_filter
// what: `may_goto +0` (both ways lead to the next instruction), allowed since Linux 6.14
r0 = 1
may_goto +0
exit
