// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handing a packet to the port chosen for it, through the port's queue or,
 * under netpoll, the port's own netpoll, or XDP frames to the port's
 * ndo_xdp_xmit, and counting them per CPU. Below the transmit path, the
 * shaper, which sends what it held back, and zec0's ndo_xdp_xmit.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/rtnetlink.h>
#include <net/xdp.h>

#include "zec.h"

/* @packets of @bytes that @port took, and @errors it did not take. */
void zec_count_tx(struct zec_port *port, bool local, unsigned int packets,
		  u64 bytes, unsigned int errors)
{
	struct zec_port_pcpu_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	if (unlikely(errors))
		u64_stats_add(&stats->tx_errors, errors);
	if (local) {
		u64_stats_add(&stats->tx_local_packets, packets);
		u64_stats_add(&stats->tx_local_bytes, bytes);
	} else {
		u64_stats_add(&stats->tx_cross_packets, packets);
		u64_stats_add(&stats->tx_cross_bytes, bytes);
	}
	u64_stats_update_end(&stats->syncp);
}

static void zec_count_skb(struct zec_port *port, bool local, bool sent,
			  unsigned int len)
{
	zec_count_tx(port, local, sent, sent ? len : 0, !sent);
}

/* Hand @skb to @port's own queue; also for packets a shaper held back. */
void zec_port_send(struct zec_port *port, struct sk_buff *skb, bool local)
{
	unsigned int len = skb->len;
	int ret;

	skb->dev = port->dev;
	ret = dev_queue_xmit(skb);
	zec_count_skb(port, local, net_xmit_eval(ret) == 0, len);
}

/*
 * Hand @n XDP frames to @port's ndo_xdp_xmit, which takes the first ones
 * it can; returns how many, counted. The caller counts the rest.
 */
int zec_port_send_frames(struct zec_port *port, struct xdp_frame **frames,
			 int n, u32 flags, bool local)
{
	const struct net_device_ops *ops = port->dev->netdev_ops;
	u64 bytes = 0;
	int sent, i;

	if (unlikely(!ops->ndo_xdp_xmit))
		return 0;
	for (i = 0; i < n; i++)
		bytes += frames[i]->len;
	sent = ops->ndo_xdp_xmit(port->dev, n, frames, flags);
	if (unlikely(sent <= 0))
		return 0;
	/* The frames it took may be freed already: not those it left. */
	for (i = sent; i < n; i++)
		bytes -= frames[i]->len;
	zec_count_tx(port, local, sent, bytes, 0);
	return sent;
}

#ifdef CONFIG_NET_POLL_CONTROLLER
/*
 * netconsole on zec0, or on a bridge over it, transmits with interrupts
 * off: dev_queue_xmit() would enable BH inside that section and may spin
 * on a qdisc lock this CPU already holds. Such packets go to the port's
 * own netpoll instead, which polls the port's driver or defers to its
 * work when the port's queue is busy. They never wait in a shaper.
 */
void zec_netpoll_send(struct zec_port *port, struct sk_buff *skb, bool local)
{
	struct netpoll *np = READ_ONCE(port->np);
	unsigned int len = skb->len;

	if (unlikely(!np)) {
		zec_count_skb(port, local, false, len);
		kfree_skb(skb);
		return;
	}
	skb->dev = port->dev;
	zec_count_skb(port, local, netpoll_send_skb(np, skb) == NETDEV_TX_OK,
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
void zec_netpoll_send(struct zec_port *port, struct sk_buff *skb, bool local)
{
	kfree_skb(skb);
}
#endif
