// type: kprobe
// run: no
map hmap: hash key=4 value=16 max=64
map amap: array key=4 value=16 max=16

// what: verifier_diff seed 16643 (priv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `RN type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_` | bpfplay: rejected EACCES `R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_`, 5 insns
call bpf_get_smp_processor_id
if r0 < 2097152 goto l1
r1 = map[hmap] ll
r2 = 0
call bpf_map_lookup_elem
l1:
*(u32 *)(r10 -32) = 10
r1 = map[amap] ll
r2 = r10
r2 += -32
call bpf_map_lookup_elem
r8 = r0
r9 = r8
r9 += 16
r0 = *(u64 *)(r9 +0)
exit
