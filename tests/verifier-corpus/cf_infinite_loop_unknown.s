// type: socket_filter
// what: a loop whose exit depends on a value that never changes state (reloaded each time)
r0 = 0
loop:
r2 = *(u32 *)(r1 +0)
if r2 != 0 goto loop
exit
