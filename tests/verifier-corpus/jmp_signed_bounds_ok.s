// type: socket_filter

// what: signed comparisons bound the value on both sides; returns 1
r2 = *(u32 *)(r1 +0)
r0 = 0
if r2 s< 0 goto out
if r2 s> 100 goto out
r0 = 1
out:
exit
