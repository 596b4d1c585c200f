/* Test fixture: an extern (kconfig) variable, which bpfplay refuses. Rebuild: clang-19 -O2 -g -target bpf -fdebug-prefix-map=$PWD=. -c extern_kconfig.c */
#include "../../../../static/c/bpfplay.h"

extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));

SEC("socket")
int version(struct __sk_buff *skb)
{
	return LINUX_KERNEL_VERSION;
}
