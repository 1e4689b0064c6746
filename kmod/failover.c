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
 * Rebuild the egress table after a port's health, node or membership
 * changed, then report what changed: a failover event for every node
 * whose serving ports changed, and an announcement of zec0's addresses
 * from every port that took a node's traffic over. Under RTNL.
 */
void zec_ports_changed(struct zec_dev *zec, enum zec_reason reason)
{
	struct zec_route_delta delta;
	unsigned int i;
	int node;

	zec_route_rebuild(zec, reason, &delta);
	for_each_node_mask(node, delta.nodes)
		zec_ntf_failover(zec, node, &delta.old->routes[node],
				 &delta.new->routes[node], reason, delta.ts);
	for (i = 0; i < delta.nr_takeovers; i++)
		zec_notify_peers(zec, delta.takeovers[i]);
	zec_route_delta_free(&delta);
}
