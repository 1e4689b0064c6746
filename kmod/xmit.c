// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit fast path: send through a healthy port on the node of the
 * CPU that submits the packet. RCU only; per-CPU counters; no allocation.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/topology.h>

#include "zec.h"

/*
 * Use the first tier whose ports can send: hash over it in lag mode, take
 * its first port in independent mode. A flow whose port lost carrier moves
 * to the next port of the same tier, so the other flows keep their ports.
 */
static const struct zec_route_entry *
zec_route_pick(const struct zec_route *route, struct sk_buff *skb)
{
	unsigned int start = 0, end, width, first, i;

	while (start < route->count) {
		end = route->entries[start].tier_end;
		width = end - start;
		/* The flow hash is only worth computing when there is a choice. */
		first = width == 1 || !route->spread ? 0 :
			reciprocal_scale(skb_get_hash(skb), width);
		for (i = 0; i < width; i++) {
			const struct zec_route_entry *e =
				&route->entries[start + (first + i) % width];

			if (likely(zec_port_can_send(e->port)))
				return e;
		}
		start = end;
	}
	return NULL;
}

static void zec_count_no_port(struct zec_dev *zec)
{
	struct zec_dev_pcpu_stats *stats = this_cpu_ptr(zec->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_drop_no_port);
	u64_stats_update_end(&stats->syncp);
}

/*
 * The port this CPU's node sends @skb through now. Transmit runs with BH
 * off (or, for netpoll, interrupts off), so this CPU and its node stay put.
 */
static const struct zec_route_entry *zec_xmit_entry(struct zec_dev *zec,
						    struct sk_buff *skb)
{
	const struct zec_table *table;

	table = rcu_dereference_check(zec->table, rcu_read_lock_bh_held());
	if (unlikely(!table))
		return NULL;
	return zec_route_pick(&table->routes[numa_node_id()], skb);
}

netdev_tx_t zec_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	const struct zec_route_entry *e;
	const struct zec_rate *rate;

	e = zec_xmit_entry(zec, skb);
	if (unlikely(!e)) {
		zec_count_no_port(zec);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(netpoll_tx_running(dev))) {
		zec_netpoll_send(e->port, skb, e->local);
		return NETDEV_TX_OK;
	}

	rate = rcu_dereference_bh(e->port->rate);
	if (rate && zec_rate_check(e->port, rate, skb, e->local) !=
		    ZEC_RATE_PASS)
		return NETDEV_TX_OK;
	zec_port_send(e->port, skb, e->local);
	return NETDEV_TX_OK;
}
