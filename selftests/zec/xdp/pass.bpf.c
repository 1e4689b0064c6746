// SPDX-License-Identifier: GPL-2.0-only
/* zec/xdp.sh: attached to zec0, so that it runs on every port. */

#include <linux/bpf.h>

__attribute__((section("xdp"), used))
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
