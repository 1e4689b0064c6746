// SPDX-License-Identifier: GPL-2.0-only
/*
 * The egress table: for every NUMA node, the ports its CPUs send through,
 * in order of preference. Rebuilt under RTNL whenever a port's health,
 * node or membership changes, and published with RCU for the transmit path.
 * A rebuild returns what changed (struct zec_route_delta); its caller,
 * zec_ports_changed(), announces and notifies.
 */

#include <linux/etherdevice.h>
#include <linux/nodemask.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/topology.h>

#include "zec.h"

/*
 * Distance of a port from the CPUs of @node. A port of unknown node ranks
 * behind every port of a known node: it is the last resort.
 */
static unsigned int zec_port_distance(const struct zec_port *port, int node)
{
	int port_node = zec_port_node(port);

	if (port_node == NUMA_NO_NODE)
		return UINT_MAX;
	return node_distance(node, port_node);
}

struct zec_candidate {
	struct zec_port *port;
	unsigned int distance;
	unsigned int order;
};

static int zec_candidate_cmp(const void *a, const void *b)
{
	const struct zec_candidate *ca = a, *cb = b;

	if (ca->distance != cb->distance)
		return ca->distance < cb->distance ? -1 : 1;
	/* Keep list order within a tier so that flows do not move needlessly. */
	return ca->order < cb->order ? -1 : 1;
}

static unsigned int zec_route_build(struct zec_dev *zec,
				    struct zec_route *route, int node)
{
	struct zec_candidate cand[ZEC_MAX_PORTS];
	struct zec_port *port;
	unsigned int i, n = 0, tier_start;

	list_for_each_entry(port, &zec->ports, list) {
		if (!zec_port_healthy(port))
			continue;
		cand[n].port = port;
		cand[n].distance = zec_port_distance(port, node);
		cand[n].order = n;
		n++;
	}
	/* sort() is not stable: the comparator falls back to list order. */
	sort(cand, n, sizeof(cand[0]), zec_candidate_cmp, NULL);

	route->count = n;
	route->spread = zec->mode == ZEC_MODE_LAG;
	for (i = 0, tier_start = 0; i < n; i++) {
		route->entries[i].port = cand[i].port;
		route->entries[i].local = zec_port_node(cand[i].port) == node;
		if (i + 1 == n || cand[i + 1].distance != cand[i].distance) {
			while (tier_start <= i)
				route->entries[tier_start++].tier_end = i + 1;
		}
	}
	return n;
}

/* Whether two routes send through the same ports (zec_route_serving()). */
static bool zec_route_serving_equal(const struct zec_route *a,
				    const struct zec_route *b)
{
	unsigned int i, na = zec_route_serving(a), nb = zec_route_serving(b);

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a->entries[i].port != b->entries[i].port)
			return false;
	return true;
}

static bool zec_route_serving_has(const struct zec_route *route,
				  const struct zec_port *port)
{
	unsigned int i, n = zec_route_serving(route);

	for (i = 0; i < n; i++)
		if (route->entries[i].port == port)
			return true;
	return false;
}

/*
 * Add to @delta the ports that now serve @now's node and did not before:
 * they are to announce zec0's addresses, so that the switches learn at
 * once where zec0 is reached for that node's traffic.
 */
static void zec_route_takeovers(const struct zec_route *was,
				const struct zec_route *now,
				struct zec_route_delta *delta)
{
	unsigned int i, j, tier = zec_route_serving(now);

	for (i = 0; i < tier; i++) {
		struct zec_port *port = now->entries[i].port;

		if (zec_route_serving_has(was, port))
			continue;
		for (j = 0; j < delta->nr_takeovers &&
		     delta->takeovers[j] != port; j++)
			;
		if (j == delta->nr_takeovers)
			delta->takeovers[delta->nr_takeovers++] = port;
	}
}

/*
 * A node that had preferred ports and now prefers others has failed over
 * (or back); one event is counted however many nodes moved, and one per
 * node and per port traffic left. A port joining is no failure and is not
 * counted. Every node whose preferred ports changed, from none too, goes
 * into @delta, with the ports that took its traffic over.
 */
static void zec_route_account_changes(struct zec_dev *zec,
				      struct zec_route_delta *delta,
				      enum zec_reason reason)
{
	const struct zec_table *old = delta->old;
	struct zec_table *new = delta->new;
	const struct zec_route *was;
	struct zec_route *now;
	bool changed = false;
	unsigned int node;

	for (node = 0; node < new->nr_nodes; node++) {
		was = &old->routes[node];
		now = &new->routes[node];
		now->failovers = was->failovers;
		/* Sparse node ids: only possible nodes have CPUs to serve. */
		if (!node_possible(node))
			continue;
		if (zec_route_serving_equal(was, now))
			continue;
		if (was->count && reason != ZEC_REASON_ADDED) {
			changed = true;
			now->failovers++;
			if (!zec_route_serving_has(now, was->entries[0].port))
				was->entries[0].port->failovers++;
		}
		node_set(node, delta->nodes);
		zec_route_takeovers(was, now, delta);
	}
	if (changed) {
		WRITE_ONCE(zec->failovers, zec->failovers + 1);
		WRITE_ONCE(zec->last_failover_ns, delta->ts);
	}
}

static size_t zec_table_size(void)
{
	struct zec_table *table;

	return struct_size(table, routes, nr_node_ids);
}

/*
 * Independent mode's receive port: the operator's choice while it is
 * healthy, else the first healthy port in the order they were added.
 */
static struct zec_port *zec_route_rx_port(struct zec_dev *zec)
{
	struct zec_port *port;

	if (zec->mode != ZEC_MODE_INDEPENDENT)
		return NULL;
	if (zec->rx_port_cfg && zec_port_healthy(zec->rx_port_cfg))
		return zec->rx_port_cfg;
	list_for_each_entry(port, &zec->ports, list)
		if (zec_port_healthy(port))
			return port;
	return NULL;
}

/*
 * Independent mode: the source MAC a port other than the receive port
 * writes over zec0's in the host's own unicast frames, as bonding's tlb
 * mode does, so that they leave by their node's port while the fabric
 * learns zec0's MAC behind the receive port alone. It is the address the
 * port had before it joined or, where that is zec0's, the receive port's,
 * which the receive port never sends from. NULL where there is none.
 */
static const u8 *zec_port_own_src(const struct zec_dev *zec,
				  const struct zec_port *port,
				  const struct zec_port *rx_port)
{
	const u8 *addr = port->orig_addr;

	if (ether_addr_equal(addr, zec->dev->dev_addr))
		addr = rx_port->orig_addr;
	if (!is_valid_ether_addr(addr) ||
	    ether_addr_equal(addr, zec->dev->dev_addr))
		return NULL;
	return addr;
}

static u8 zec_own_src_index(const struct zec_table *table,
			    const struct zec_port *const *owners,
			    const struct zec_port *port)
{
	unsigned int i;

	for (i = 0; i < table->nr_own_srcs; i++)
		if (owners[i] == port)
			return i;
	return ZEC_NO_OWN_SRC;
}

/*
 * Fill @table's own_srcs, and point each route entry at its port's. The
 * host's frames that a port without one would send leave by the receive
 * port instead (xmit.c).
 */
static void zec_table_own_srcs(const struct zec_dev *zec,
			       struct zec_table *table)
{
	const struct zec_port *owners[ZEC_MAX_PORTS];
	const u8 *addrs[ZEC_MAX_PORTS];
	unsigned int i, j, n = 0, node;
	struct zec_route *route;
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list) {
		if (!table->rx_port || port == table->rx_port ||
		    !zec_port_healthy(port))
			continue;
		addrs[n] = zec_port_own_src(zec, port, table->rx_port);
		if (addrs[n])
			owners[n++] = port;
	}
	/* Two ports with the same MAC get none: the fabric would see it flap. */
	table->nr_own_srcs = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (j != i && ether_addr_equal(addrs[i], addrs[j]))
				break;
		if (j < n)
			continue;
		owners[table->nr_own_srcs] = owners[i];
		ether_addr_copy(table->own_srcs[table->nr_own_srcs++], addrs[i]);
	}
	for (node = 0; node < table->nr_nodes; node++) {
		route = &table->routes[node];
		for (i = 0; i < route->count; i++)
			route->entries[i].own_src =
				zec_own_src_index(table, owners,
						  route->entries[i].port);
	}
}

/* Returns how many ports are healthy: every node's route lists them all. */
static unsigned int zec_table_fill(struct zec_dev *zec,
				   struct zec_table *table)
{
	unsigned int node, healthy = 0;

	table->independent = zec->mode == ZEC_MODE_INDEPENDENT;
	table->rx_port = zec_route_rx_port(zec);
	table->rx_port_node = table->rx_port ? zec_port_node(table->rx_port) :
					       NUMA_NO_NODE;
	table->nr_nodes = nr_node_ids;
	for (node = 0; node < nr_node_ids; node++)
		healthy = zec_route_build(zec, &table->routes[node], node);
	zec_table_own_srcs(zec, table);
	return healthy;
}

int zec_route_init(struct zec_dev *zec)
{
	struct zec_table *table = kzalloc(zec_table_size(), GFP_KERNEL);

	if (!table)
		return -ENOMEM;
	table->nr_nodes = nr_node_ids;
	RCU_INIT_POINTER(zec->table, table);
	return 0;
}

/*
 * Publish a table that reflects the ports as they are now. Once this
 * returns, no new transmit can pick a port that is no longer healthy or
 * listed, and after a grace period no old one can either. @delta says
 * what changed, for the caller to report; the caller hands it back to
 * zec_route_delta_free() when done.
 */
void zec_route_rebuild(struct zec_dev *zec, enum zec_reason reason,
		       struct zec_route_delta *delta)
{
	struct zec_table *old = rtnl_dereference(zec->table);
	struct zec_table *new;
	unsigned int healthy;

	ASSERT_RTNL();
	memset(delta, 0, offsetof(struct zec_route_delta, takeovers));
	delta->ts = ktime_get_ns();
	new = kzalloc(zec_table_size(), GFP_KERNEL);
	if (new) {
		healthy = zec_table_fill(zec, new);
		rcu_assign_pointer(zec->table, new);
		delta->old = old;
		delta->new = new;
		zec_route_account_changes(zec, delta, reason);
	} else {
		/*
		 * Out of memory, but a removed port must not stay reachable:
		 * drop traffic for one grace period and rewrite the table
		 * in place once no reader can see it. There is no old table
		 * to compare with: nothing to report.
		 */
		RCU_INIT_POINTER(zec->table, NULL);
		synchronize_net();
		healthy = zec_table_fill(zec, old);
		rcu_assign_pointer(zec->table, old);
	}

	if (healthy)
		netif_carrier_on(zec->dev);
	else
		netif_carrier_off(zec->dev);
}

/* The old table goes once readers are done with it. */
void zec_route_delta_free(struct zec_route_delta *delta)
{
	if (delta->old)
		kfree_rcu(delta->old, rcu);
}
