// type: socket_filter
// mode: unpriv
// run: no
map amap: array key=4 value=48 max=16

// what: verifier_diff seed 3150 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_` | bpfplay: rejected EACCES `R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_`, 9 insns
r1 = r10
r1 += -64
r2 = 0
r3 = 0
call bpf_probe_read_kernel
call f1
exit
f1:
r1 = map[amap] ll
r2 = 0
call bpf_map_lookup_elem
exit
