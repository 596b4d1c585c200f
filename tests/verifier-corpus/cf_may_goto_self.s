// type: socket_filter
// what: may_goto jumping to itself: the same state comes back at the same depth, an
// infinite loop
r0 = 0
l:
may_goto l
exit
