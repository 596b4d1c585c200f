// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 704 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_` | bpfplay: rejected EACCES `R1 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_`, 1 insns
call bpf_probe_read_kernel
exit
