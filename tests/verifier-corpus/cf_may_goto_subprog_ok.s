// type: socket_filter
// log: 1
// what: may_goto in a subprogram called twice: each call has its own loop budget
call f
r6 = r0
call f
r0 += r6
exit
f:
r0 = 0
l:
may_goto out
r0 += 1
if r0 < 100 goto l
out:
exit
