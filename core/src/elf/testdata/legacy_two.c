/* Test fixture: a legacy `maps` section (struct bpf_map_def, libbpf before 1.0) and two
 * programs in one object. Rebuild: clang-19 -O2 -g -target bpf -fdebug-prefix-map=$PWD=. -c legacy_two.c */
#include "../../../../static/c/bpfplay.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") counters = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4 };
struct bpf_map_def SEC("maps") seen = { .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4, .max_entries = 16 };

char LICENSE[] SEC("license") = "Dual MIT/GPL";

SEC("socket")
int first(struct __sk_buff *skb)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(&counters, &k);
	if (v)
		*v += 1;
	return 0;
}

SEC("kprobe/vfs_read")
int second(struct pt_regs *ctx)
{
	__u32 k = ctx->di, v = 7;
	bpf_map_update_elem(&seen, &k, &v, 0);
	return 0;
}
