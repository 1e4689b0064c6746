// SPDX-License-Identifier: GPL-2.0-only
/*
 * zec/xdp.sh: attached to a VM's tap, sends every frame the VM sends into
 * zec0 (ifindex ZEC_IFINDEX, the test creates it with that index).
 * Without libbpf's headers: the helper by its number.
 */

#include <linux/bpf.h>

#ifndef ZEC_IFINDEX
#error "ZEC_IFINDEX: zec0's ifindex"
#endif

static long (*bpf_redirect)(__u32 ifindex, __u64 flags) = (void *)BPF_FUNC_redirect;

__attribute__((section("xdp"), used))
int xdp_to_zec(struct xdp_md *ctx)
{
	return bpf_redirect(ZEC_IFINDEX, 0);
}

char _license[] __attribute__((section("license"), used)) = "GPL";
