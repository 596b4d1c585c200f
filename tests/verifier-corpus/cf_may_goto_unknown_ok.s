// type: socket_filter
// run: no
// what: may_goto around a loop whose counter the verifier cannot bound: the imprecise
// scalar is widened between iterations and the states converge
r6 = 0
r7 = 0
loop:
may_goto done
call bpf_get_prandom_u32
r6 += r0
r7 += 1
goto loop
done:
r0 = r7
exit
