/* Test fixture: three BTF-defined maps in `.maps`; the program uses the third. clang leaves
 * the offsets of the `.maps` DATASEC at 0, so a loader must take them from the symbol table.
 * Rebuild: clang-19 -O2 -g -target bpf -fdebug-prefix-map=$PWD=. -c btf_maps_three.c */
#include "../../../../static/c/bpfplay.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, unsigned long long);
} first SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, unsigned int);
	__type(value, unsigned int);
} second SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, unsigned int);
	__type(value, unsigned int);
} third SEC(".maps");

SEC("socket")
int use_third(void *ctx)
{
	unsigned int k = 3;
	unsigned int *v = bpf_map_lookup_elem(&third, &k);
	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";
