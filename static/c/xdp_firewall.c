// title: XDP firewall with a blocklist
// type: xdp
// about: Parses Ethernet and IPv4 headers with bounds checks, looks the source address up in
// about: a hash map and drops the packet if it is there, counting the drops per address.
// about: The verdict for blocked sources is a read-only global (.rodata).
#include "bpfplay.h"

struct ethhdr {
	__u8 h_dest[6];
	__u8 h_source[6];
	__u16 h_proto;
};

struct iphdr {
	__u8 ihl_version;
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);   /* IPv4 source address, network byte order */
	__type(value, __u64); /* packets dropped */
	__uint(max_entries, 1024);
} blocklist SEC(".maps");

const volatile __u32 blocked_verdict = XDP_DROP;
__u64 passed = 0;

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u64 *drops;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(0x0800))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	drops = bpf_map_lookup_elem(&blocklist, &ip->saddr);
	if (drops) {
		__sync_fetch_and_add(drops, 1);
		return blocked_verdict;
	}
	passed++;
	return XDP_PASS;
}
