// SPDX-License-Identifier: GPL-2.0-only
/*
 * What follows a change in a device's ports, whoever saw it (the port's
 * notifier, a probe, the operator): a new egress table, and the reports of
 * what it changed.
 */

#include <linux/nodemask.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>

#include "zec.h"

static const char *const zec_reason_names[ZEC_REASON_MAX + 1] = {
	[ZEC_REASON_CARRIER]	= "carrier",
	[ZEC_REASON_ADMIN]	= "admin",
	[ZEC_REASON_REMOVED]	= "removed",
	[ZEC_REASON_PROBE]	= "probe",
	[ZEC_REASON_ADDED]	= "added",
	[ZEC_REASON_DAMPED]	= "damped",
	[ZEC_REASON_RENAMED]	= "renamed",
};

static_assert(ZEC_REASON_RENAMED == ZEC_REASON_MAX,
	      "a new reason needs its name in zec_reason_names");

/* Why a port that served a node no longer may: its first down reason. */
static const char *zec_down_name(const struct zec_port *port)
{
	u32 reasons = zec_port_down_reasons(port);

	if (port->releasing)
		return "removed";
	if (reasons & ZEC_PORT_DOWN_CARRIER)
		return "carrier";
	if (reasons & ZEC_PORT_DOWN_ADMIN)
		return "disabled";
	if (reasons & ZEC_PORT_DOWN_UP_DELAY)
		return "up delay";
	if (reasons & ZEC_PORT_DOWN_PROBE)
		return "probe";
	return "damped";
}

/*
 * The kernel log's line for a node whose serving ports changed, as bonding
 * logs its failovers: a port that served it and may no longer, and why,
 * or else the cause of the move; and the port that serves it now (the
 * first of them in lag mode). Rate limited per device; the monitor group
 * has every event.
 */
static void zec_log_failover(struct zec_dev *zec, int node,
			     const struct zec_route *was,
			     const struct zec_route *now,
			     enum zec_reason reason)
{
	struct zec_port *from = was->count ? was->entries[0].port : NULL;
	struct zec_port *to = now->count ? now->entries[0].port : NULL;
	const char *to_name = to ? to->dev->name : "no port";
	struct zec_port *gone = NULL;
	unsigned int i;

	/* Deleting zec0 releases its ports: no failover to speak of. */
	if (zec->dev->reg_state != NETREG_REGISTERED)
		return;
	for (i = 0; i < zec_route_serving(was) && !gone; i++)
		if (!zec_port_healthy(was->entries[i].port))
			gone = was->entries[i].port;
	/* A node's first port is a start; a lag tier that grew, no move. */
	if (!gone && (from == to || (!from && reason == ZEC_REASON_ADDED)))
		return;
	if (!__ratelimit(&zec->failover_rs))
		return;
	if (gone)
		netdev_info(zec->dev, "%s down (%s), node %d now served by %s\n",
			    gone->dev->name, zec_down_name(gone), node,
			    to_name);
	else
		netdev_info(zec->dev, "node %d now served by %s, was %s (%s)\n",
			    node, to_name, from ? from->dev->name : "no port",
			    zec_reason_names[reason]);
}

/*
 * Independent mode: zec0's own addresses move with the receive port, which
 * alone sends them; the other source MACs move with their node's port.
 */
static void zec_independent_changed(struct zec_dev *zec,
				    const struct zec_route_delta *delta,
				    enum zec_reason reason)
{
	struct zec_port *from = delta->old->rx_port;
	struct zec_port *to = delta->new->rx_port;

	if (from != to) {
		zec_ntf_rx_port(zec, from, to, reason, delta->ts);
		if (to) {
			zec_notify_peers(zec, to);
			/*
			 * Switches that snoop IGMP/MLD learnt zec0's groups
			 * on the old port: report them again, as bonding
			 * does on failover.
			 */
			call_netdevice_notifiers(NETDEV_RESEND_IGMP, zec->dev);
		}
	}
	zec_announce_start(zec, &delta->nodes);
}

/*
 * Rebuild the egress table after a port's health, node or membership
 * changed, then report what changed: a failover event for every node
 * whose serving ports changed, and announcements from the ports that took
 * traffic over: of zec0's addresses, and in independent mode of the source
 * MACs that moved. Under RTNL.
 */
void zec_ports_changed(struct zec_dev *zec, enum zec_reason reason)
{
	struct zec_route_delta delta;
	unsigned int i;
	int node;

	zec_route_rebuild(zec, reason, &delta);
	zec_learn_update(zec);
	if (!delta.new)
		return;
	for_each_node_mask(node, delta.nodes) {
		zec_log_failover(zec, node, &delta.old->routes[node],
				 &delta.new->routes[node], reason);
		zec_ntf_failover(zec, node, &delta.old->routes[node],
				 &delta.new->routes[node], reason, delta.ts);
	}
	if (delta.new->independent || delta.old->independent)
		zec_independent_changed(zec, &delta, reason);
	if (!delta.new->independent)
		for (i = 0; i < delta.nr_takeovers; i++)
			zec_notify_peers(zec, delta.takeovers[i]);
	zec_route_delta_free(&delta);
}
