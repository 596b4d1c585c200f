// type: xdp
// run: no
map dmap: hash key=4 value=8 max=1

// what: verifier_diff seed 12721 (priv): message: kernel `direct value offset of N is not allowed`, bpfplay `no direct value access support for this map type` | bpfplay: rejected EINVAL `no direct value access support for this map type`, 0 insns
r8 = map_value[dmap]-8
exit
