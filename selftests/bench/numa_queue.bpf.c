// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hand-built alternative to zec that the benchmarks' bond-numa variant
 * measures: a tc classifier under a multiq root qdisc on a bond that sets
 * an skb's queue_mapping to the sending CPU's NUMA node + 1. Bonding then
 * sends it out of the port whose queue_id is that number, if the port is
 * up, and falls back to its mode's choice if not (bond_slave_override()),
 * in active-backup and round-robin mode only.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

static long (*bpf_get_numa_node_id)(void) = (void *)BPF_FUNC_get_numa_node_id;

__attribute__((section("classifier"), used))
int numa_queue(struct __sk_buff *skb)
{
	/* queue_id 0 means "no queue" to bonding: node N is queue_id N + 1. */
	skb->queue_mapping = bpf_get_numa_node_id() + 1;
	return TC_ACT_OK;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
