/* Test fixture: BTF-defined maps of the newer kinds: a bloom filter with `map_extra` (3 hash
 * functions) and BPF_F_ZERO_SEED, a queue, an LPM trie with BPF_F_NO_PREALLOC; the program
 * pushes and peeks. Rebuild: clang-19 -O2 -g -target bpf -fdebug-prefix-map=$PWD=. -c btf_maps_keyless.c */
#include "../../../../static/c/bpfplay.h"

#define BPF_MAP_TYPE_LPM_TRIE 11
#define BPF_MAP_TYPE_QUEUE 22
#define BPF_MAP_TYPE_BLOOM_FILTER 30
#define BPF_F_NO_PREALLOC 1
#define BPF_F_ZERO_SEED 64

static long (*bpf_map_push_elem)(void *map, const void *value, __u64 flags) = (void *)87;
static long (*bpf_map_peek_elem)(void *map, void *value) = (void *)89;

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__uint(map_extra, 3);
	__uint(map_flags, BPF_F_ZERO_SEED);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u64);
} lens SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, __u32);
} routes SEC(".maps");

SEC("socket")
int keyless(struct __sk_buff *skb)
{
	__u32 len = skb->len;
	__u64 l = len;
	struct lpm_key k = { 32, { 10, 0, 0, 1 } };
	__u32 *r = bpf_map_lookup_elem(&routes, &k);
	bpf_map_push_elem(&lens, &l, 0);
	if (bpf_map_peek_elem(&seen, &len) == 0)
		return 1;
	bpf_map_push_elem(&seen, &len, 0);
	return r ? *r : 0;
}

char LICENSE[] SEC("license") = "GPL";
