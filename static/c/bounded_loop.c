// title: bounded loop: sum of the first bytes
// type: socket_filter
// about: A real loop (not unrolled) over the first 16 bytes of the packet with LD_IND; the
// about: verifier walks every iteration because the bound is a constant. Returns the sum.
#include "bpfplay.h"

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int sum_bytes(struct __sk_buff *skb)
{
	__u32 sum = 0;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 16; i++)
		sum += load_byte(skb, i);
	return sum;
}
