// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=16 max=1

// what: verifier_diff seed 685 (unpriv): message: kernel `invalid access to map value, value_size=N off=-N size=N`, bpfplay `RN pointer arithmetic of map value goes out of range, prohibited for !root` | bpfplay: rejected EACCES `R9 pointer arithmetic of map value goes out of range, prohibited for !root`, 3 insns
r7 = map_value[dmap]+4
r9 = r7
r9 += -8
exit
