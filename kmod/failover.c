// SPDX-License-Identifier: GPL-2.0-only
/*
 * What follows a change in a device's ports, whoever saw it (the port's
 * notifier, a probe, the operator): a new egress table, and the reports of
 * what it changed.
 */

#include <linux/nodemask.h>
#include <linux/rtnetlink.h>

#include "zec.h"

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
	if (!delta.new)
		return;
	for_each_node_mask(node, delta.nodes)
		zec_ntf_failover(zec, node, &delta.old->routes[node],
				 &delta.new->routes[node], reason, delta.ts);
	if (delta.new->independent || delta.old->independent)
		zec_independent_changed(zec, &delta, reason);
	if (!delta.new->independent)
		for (i = 0; i < delta.nr_takeovers; i++)
			zec_notify_peers(zec, delta.takeovers[i]);
	zec_route_delta_free(&delta);
}
