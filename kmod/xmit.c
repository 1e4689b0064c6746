// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit fast path: send through a healthy port on the node of the
 * CPU that submits the packet. RCU only; per-CPU counters; no allocation.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/rtnetlink.h>
#include <linux/topology.h>

#include "zec.h"

/*
 * The table is rebuilt when the notifier for a carrier change runs, which
 * linkwatch may deliver up to a second after the driver dropped carrier.
 * The carrier bit itself flips at once, so check it here too. A driver
 * that detaches its device (PCI error recovery, suspend, a NIC being
 * hot-removed) keeps carrier and sends no notification at all; a device
 * being closed is no longer running before the notifier runs.
 */
static bool zec_port_can_send(const struct zec_port *port)
{
	const struct net_device *pdev = port->dev;

	return netif_carrier_ok(pdev) && netif_running(pdev) &&
	       netif_device_present(pdev);
}

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

static void zec_count_tx(struct zec_port *port, bool local, bool sent,
			 unsigned int len)
{
	struct zec_port_pcpu_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	if (!sent) {
		u64_stats_inc(&stats->tx_errors);
	} else if (local) {
		u64_stats_inc(&stats->tx_local_packets);
		u64_stats_add(&stats->tx_local_bytes, len);
	} else {
		u64_stats_inc(&stats->tx_cross_packets);
		u64_stats_add(&stats->tx_cross_bytes, len);
	}
	u64_stats_update_end(&stats->syncp);
}

static void zec_count_no_port(struct zec_dev *zec)
{
	struct zec_dev_pcpu_stats *stats = this_cpu_ptr(zec->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_drop_no_port);
	u64_stats_update_end(&stats->syncp);
}

/* Hand @skb to @port's own queue; also for packets a shaper held back. */
void zec_port_send(struct zec_port *port, struct sk_buff *skb, bool local)
{
	unsigned int len = skb->len;
	int ret;

	skb->dev = port->dev;
	ret = dev_queue_xmit(skb);
	zec_count_tx(port, local, net_xmit_eval(ret) == 0, len);
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

#ifdef CONFIG_NET_POLL_CONTROLLER
/*
 * netconsole on zec0, or on a bridge over it, transmits with interrupts
 * off: dev_queue_xmit() would enable BH inside that section and may spin
 * on a qdisc lock this CPU already holds. Such packets go to the port's
 * own netpoll instead, which polls the port's driver or defers to its
 * work when the port's queue is busy. They never wait in a shaper.
 */
static void zec_netpoll_send(struct zec_port *port, struct sk_buff *skb,
			     bool local)
{
	struct netpoll *np = READ_ONCE(port->np);
	unsigned int len = skb->len;

	if (unlikely(!np)) {
		zec_count_tx(port, local, false, len);
		kfree_skb(skb);
		return;
	}
	skb->dev = port->dev;
	zec_count_tx(port, local, netpoll_send_skb(np, skb) == NETDEV_TX_OK,
		     len);
}

static int zec_port_netpoll_open(struct zec_port *port)
{
	struct netpoll *np;
	int err;

	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOMEM;
	err = __netpoll_setup(np, port->dev);
	if (err) {
		kfree(np);
		return err;
	}
	WRITE_ONCE(port->np, np);
	return 0;
}

/* A port that joins while netpoll runs on zec0 gets its own at once. */
int zec_port_netpoll_enable(struct zec_port *port)
{
	ASSERT_RTNL();
	if (!rcu_access_pointer(port->zec->dev->npinfo))
		return 0;
	return zec_port_netpoll_open(port);
}

/*
 * A transmit that read the pointer before it was cleared runs with
 * interrupts off: __netpoll_free() waits for it before freeing.
 */
void zec_port_netpoll_disable(struct zec_port *port)
{
	struct netpoll *np = port->np;

	ASSERT_RTNL();
	if (!np)
		return;
	WRITE_ONCE(port->np, NULL);
	__netpoll_free(np);
}

void zec_netpoll_cleanup(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		zec_port_netpoll_disable(port);
}

/* The core publishes dev->npinfo only after this returns. */
int zec_netpoll_setup(struct net_device *dev, struct netpoll_info *ni)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;
	int err;

	list_for_each_entry(port, &zec->ports, list) {
		err = zec_port_netpoll_open(port);
		if (err) {
			zec_netpoll_cleanup(dev);
			return err;
		}
	}
	return 0;
}

void zec_poll_controller(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	list_for_each_entry_rcu(port, &zec->ports, list)
		if (zec_port_can_send(port))
			netpoll_poll_dev(port->dev);
}
#else
static void zec_netpoll_send(struct zec_port *port, struct sk_buff *skb,
			     bool local)
{
	kfree_skb(skb);
}
#endif

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
