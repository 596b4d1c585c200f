// title: bpf-to-bpf calls
// type: xdp
// about: The program calls functions compiled into .text (not inlined): a header check that
// about: itself calls a second function, and a counter kept in a global (.bss).
#include "bpfplay.h"

__u64 packets = 0;
__u64 long_frames = 0;

char LICENSE[] SEC("license") = "GPL";

static __noinline int is_long(__u32 len)
{
	return len >= 60;
}

static __noinline int classify(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	if (is_long(len)) {
		long_frames++;
		return 1;
	}
	return 0;
}

SEC("xdp")
int count_frames(struct xdp_md *ctx)
{
	packets++;
	if (classify(ctx))
		return XDP_PASS;
	return XDP_DROP;
}
