// type: socket_filter
// what: linked registers through a subtraction (r1 = r0; r1 -= 2)
call bpf_get_prandom_u32
r1 = r0
r1 -= 2
if r0 > 8 goto out
r2 = r10
r2 += -16
r2 += r1
r0 = *(u8 *)(r2 +0)
out:
r0 = 0
exit
