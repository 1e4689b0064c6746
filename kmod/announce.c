// SPDX-License-Identifier: GPL-2.0-only
/*
 * Independent mode's announcements. When a node's traffic moves to another
 * port (failover, failback, a port added or removed), every MAC the source
 * table has for that node is announced out of the port that carries it
 * now, as QEMU's announce-self announces a guest: a RARP request from the
 * MAC to everyone. The fabric then moves the MAC at once, even when its
 * owner is silent and zec knows none of its addresses.
 *
 * Off the fast path, in a work item: announce_count rounds, announce
 * interval apart, at most announce_rate frames a second (and
 * ZEC_ANNOUNCE_BATCH a tick), in batches of ZEC_ANNOUNCE_TICK_MS. The
 * work takes RTNL by trylock only, so that teardown may cancel it under
 * RTNL.
 *
 * And the learning frames that keep zec0's own MAC behind the receive port
 * in the fabric's tables while the other ports send the host's unicast
 * from their own MACs.
 */

#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/nodemask.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>

#include "zec.h"

#define ZEC_ANNOUNCE_TICK_MS	10
/* Frames one batch sends at most, however high the rate: RTNL is held. */
#define ZEC_ANNOUNCE_BATCH	256

/*
 * Announce from slot announce_pos on, at most @budget frames; returns
 * whether the round reached the end of the table.
 */
static bool zec_announce_batch(struct zec_dev *zec, struct zec_macs *macs,
			       const struct zec_table *table,
			       unsigned int budget)
{
	unsigned long ageing = msecs_to_jiffies(zec->mac_ageing_ms);
	unsigned int i, slots = zec_macs_slots(macs);
	struct zec_port_pcpu_stats *stats;
	struct zec_mac_entry entry;
	struct zec_port *port;

	for (i = zec->announce_pos; i < slots && budget; i++) {
		if (!zec_macs_entry(macs, i, ageing, &entry) ||
		    !node_isset(entry.node, zec->announce_nodes))
			continue;
		port = zec_table_head(table, entry.node);
		if (!port)
			continue;
		/*
		 * Before it leaves, so that its reflection, which another
		 * CPU may take in before the send returns, is known for
		 * what it is.
		 */
		zec_macs_touch(macs, i);
		if (!zec_send_rarp(port, entry.addr))
			continue;
		local_bh_disable();
		stats = this_cpu_ptr(port->stats);
		zec_port_stats_inc(stats, &stats->announcements);
		local_bh_enable();
		budget--;
	}
	zec->announce_pos = i;
	return i >= slots;
}

static void zec_announce_work(struct work_struct *work)
{
	struct zec_dev *zec = container_of(to_delayed_work(work),
					   struct zec_dev, announce_work);
	unsigned int budget;
	unsigned long delay;
	struct zec_macs *macs;

	if (!rtnl_trylock()) {
		queue_delayed_work(system_wq, &zec->announce_work, 1);
		return;
	}
	macs = rtnl_dereference(zec->macs);
	if (!macs || !zec->announce_rounds || !netif_running(zec->dev))
		goto done;
	budget = clamp(zec->announce_rate * ZEC_ANNOUNCE_TICK_MS / 1000, 1U,
		       ZEC_ANNOUNCE_BATCH);
	if (!zec_announce_batch(zec, macs, rtnl_dereference(zec->table),
				budget)) {
		delay = msecs_to_jiffies(ZEC_ANNOUNCE_TICK_MS);
	} else if (--zec->announce_rounds) {
		zec->announce_pos = 0;
		delay = msecs_to_jiffies(zec->announce_interval_ms);
	} else {
		goto done;
	}
	rtnl_unlock();
	queue_delayed_work(system_wq, &zec->announce_work, delay);
	return;

done:
	zec->announce_rounds = 0;
	nodes_clear(zec->announce_nodes);
	rtnl_unlock();
}

/*
 * Independent mode, where ports write their own MAC over zec0's in the
 * host's unicast (route.c): that traffic no longer teaches the fabric
 * where zec0's MAC is, and what still does (broadcast, ARP, the receive
 * port's node's traffic) may stay silent for longer than the fabric's
 * ageing, which would then flood what is sent to zec0 to every port, and
 * each port would deliver its copy. So the receive port sends a learning
 * frame from zec0's MAC every ZEC_LEARN_INTERVAL_MS, untagged and on each
 * VLAN device of zec0 that is up with its MAC, as bonding's tlb mode does
 * every lp_interval.
 */
#define ZEC_LEARN_INTERVAL_MS	1000
#define ZEC_LEARN_FIRST_MS	10

static int zec_learn_vlan(struct net_device *vdev, int vid, void *arg)
{
	struct zec_port *port = arg;

	/*
	 * vid 0 is the untagged frame's; VLAN ids in zec0's filter without
	 * a device are a bridge's.
	 */
	if (vid && vdev && netif_running(vdev) &&
	    ether_addr_equal(vdev->dev_addr, port->zec->dev->dev_addr))
		zec_send_learning(port, vdev->dev_addr,
				  vlan_dev_vlan_proto(vdev), vid);
	return 0;
}

/* Whether zec0 is up and a port writes its own MAC over zec0's. */
static bool zec_learn_needed(const struct zec_dev *zec)
{
	const struct zec_table *table = rtnl_dereference(zec->table);

	return table && table->nr_own_srcs && netif_running(zec->dev);
}

static void zec_learn_work(struct work_struct *work)
{
	struct zec_dev *zec = container_of(to_delayed_work(work),
					   struct zec_dev, learn_work);
	struct zec_port *rx_port;

	if (!rtnl_trylock()) {
		queue_delayed_work(system_wq, &zec->learn_work, 1);
		return;
	}
	if (zec_learn_needed(zec)) {
		rx_port = rtnl_dereference(zec->table)->rx_port;
		zec_send_learning(rx_port, zec->dev->dev_addr, 0, 0);
		vlan_for_each(zec->dev, zec_learn_vlan, rx_port);
		queue_delayed_work(system_wq, &zec->learn_work,
				   msecs_to_jiffies(ZEC_LEARN_INTERVAL_MS));
	}
	rtnl_unlock();
}

/*
 * Under RTNL, after the egress table changed or zec0 came up: start the
 * learning frames where the table has ports with MACs of their own. The
 * work stops by itself once it has none, or zec0 is down. Its first run
 * waits for the caller to let go of RTNL.
 */
void zec_learn_update(struct zec_dev *zec)
{
	if (zec_learn_needed(zec) &&
	    zec->dev->reg_state == NETREG_REGISTERED)
		queue_delayed_work(system_wq, &zec->learn_work,
				   msecs_to_jiffies(ZEC_LEARN_FIRST_MS));
}

/* Under RTNL: the work only ever trylocks it. */
void zec_learn_stop(struct zec_dev *zec)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&zec->learn_work);
}

void zec_announce_init(struct zec_dev *zec)
{
	INIT_DELAYED_WORK(&zec->announce_work, zec_announce_work);
	INIT_DELAYED_WORK(&zec->learn_work, zec_learn_work);
}

/*
 * Announce the MACs of @nodes again from the start. Under RTNL. A device
 * going away (its ports removed one by one at unregister) announces
 * nothing.
 */
void zec_announce_start(struct zec_dev *zec, const nodemask_t *nodes)
{
	ASSERT_RTNL();
	if (!zec->announce_count || nodes_empty(*nodes) ||
	    !rtnl_dereference(zec->macs) ||
	    zec->dev->reg_state != NETREG_REGISTERED)
		return;
	nodes_or(zec->announce_nodes, zec->announce_nodes, *nodes);
	zec->announce_rounds = zec->announce_count;
	zec->announce_pos = 0;
	mod_delayed_work(system_wq, &zec->announce_work, 0);
}

/* Under RTNL: the work only ever trylocks it. */
void zec_announce_stop(struct zec_dev *zec)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&zec->announce_work);
	zec->announce_rounds = 0;
	nodes_clear(zec->announce_nodes);
}
