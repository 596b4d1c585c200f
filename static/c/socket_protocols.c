// title: socket filter: count packets by IP protocol
// type: socket_filter
// about: Reads the IPv4 protocol byte with LD_ABS (a socket filter's packet starts at the
// about: network header) and counts packets per protocol in an array map; keeps every packet.
#include "bpfplay.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 256);
} proto_count SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int count_protocols(struct __sk_buff *skb)
{
	__u32 proto;
	__u64 *count;

	if (skb->protocol != bpf_htons(0x0800))
		return skb->len;
	proto = load_byte(skb, 9); /* offsetof(struct iphdr, protocol) */
	count = bpf_map_lookup_elem(&proto_count, &proto);
	if (count)
		__sync_fetch_and_add(count, 1);
	return skb->len;
}
