// title: tracepoint: histogram of read sizes
// type: tracepoint
// about: Per-event accounting: on every read() entry, adds one to the log2 bucket of the
// about: requested size in an array map; user space reads the map as a histogram.
#include "bpfplay.h"

#define BUCKETS 32

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, BUCKETS);
} read_sizes SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0;

	if (v >= 1ULL << 16) { v >>= 16; r += 16; }
	if (v >= 1 << 8) { v >>= 8; r += 8; }
	if (v >= 1 << 4) { v >>= 4; r += 4; }
	if (v >= 1 << 2) { v >>= 2; r += 2; }
	if (v >= 1 << 1) { r += 1; }
	return r;
}

SEC("tracepoint/syscalls/sys_enter_read")
int count_read(struct sys_enter_args *ctx)
{
	__u64 count = ctx->args[2];
	__u32 bucket = log2_bucket(count);
	__u64 *slot;

	if (bucket >= BUCKETS)
		bucket = BUCKETS - 1;
	slot = bpf_map_lookup_elem(&read_sizes, &bucket);
	if (slot)
		__sync_fetch_and_add(slot, 1);
	return 0;
}
