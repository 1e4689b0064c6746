// SPDX-License-Identifier: GPL-2.0-only
/*
 * How a zec device, its ports, nodes and counters look on the wire: the
 * attribute writers of family zec that the replies of netlink.c and the
 * notifications of notify.c share. A device's settings and a port's
 * state are written for rtnl.c's IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA
 * too, each attribute type from the caller's map. They only read, under
 * RTNL.
 */

#include <linux/nodemask.h>
#include <linux/rtnetlink.h>
#include <linux/topology.h>
#include <net/genetlink.h>

#include "netlink.h"

/* Which ZEC_A_STATS_* each level carries. */
#define ZEC_STATS_TX	(BIT(ZEC_A_STATS_TX_LOCAL_PACKETS) | \
			 BIT(ZEC_A_STATS_TX_LOCAL_BYTES) | \
			 BIT(ZEC_A_STATS_TX_CROSS_PACKETS) | \
			 BIT(ZEC_A_STATS_TX_CROSS_BYTES) | \
			 BIT(ZEC_A_STATS_DROP_TX_ERROR) | \
			 BIT(ZEC_A_STATS_FAILOVERS) | \
			 BIT(ZEC_A_STATS_DROP_RATE) | \
			 BIT(ZEC_A_STATS_RATE_DELAYED))
#define ZEC_STATS_RX	(BIT(ZEC_A_STATS_RX_PACKETS) | BIT(ZEC_A_STATS_RX_BYTES) | \
			 BIT(ZEC_A_STATS_RX_REFLECTIONS) | \
			 BIT(ZEC_A_STATS_RX_FLOOD_DUPLICATES) | \
			 BIT(ZEC_A_STATS_ANNOUNCEMENTS))
#define ZEC_STATS_NODE	(BIT(ZEC_A_STATS_SUBMITTED_PACKETS) | \
			 BIT(ZEC_A_STATS_DROP_NO_PORT))
#define ZEC_STATS_PROBE	(BIT(ZEC_A_STATS_PROBES_SENT) | \
			 BIT(ZEC_A_STATS_PROBE_REPLIES) | \
			 BIT(ZEC_A_STATS_PROBE_DOWNS) | \
			 BIT(ZEC_A_STATS_DAMP_HOLDS))
#define ZEC_STATS_PORT_MASK	(ZEC_STATS_TX | ZEC_STATS_RX | ZEC_STATS_PROBE)
#define ZEC_STATS_NODE_MASK	(ZEC_STATS_TX | ZEC_STATS_NODE)
#define ZEC_STATS_DEV_MASK	(ZEC_STATS_TX | ZEC_STATS_RX | ZEC_STATS_NODE)

/* Each setting of config.c as family zec names it (ZEC_CMD_DEV_SET too). */
const u16 zec_msg_cfg_map[ZEC_CFG_NR] = {
	[ZEC_CFG_MODE]			= ZEC_A_DEV_MODE,
	[ZEC_CFG_UP_DELAY_MS]		= ZEC_A_DEV_UP_DELAY_MS,
	[ZEC_CFG_GARP_COUNT]		= ZEC_A_DEV_GARP_COUNT,
	[ZEC_CFG_RX_PORT]		= ZEC_A_DEV_RX_PORT,
	[ZEC_CFG_MAC_TABLE_SIZE]	= ZEC_A_DEV_MAC_TABLE_SIZE,
	[ZEC_CFG_MAC_AGEING_MS]		= ZEC_A_DEV_MAC_AGEING_MS,
	[ZEC_CFG_ANNOUNCE_COUNT]	= ZEC_A_DEV_ANNOUNCE_COUNT,
	[ZEC_CFG_ANNOUNCE_INTERVAL_MS]	= ZEC_A_DEV_ANNOUNCE_INTERVAL_MS,
	[ZEC_CFG_ANNOUNCE_RATE]		= ZEC_A_DEV_ANNOUNCE_RATE,
};

static const struct zec_port_attrs zec_msg_port_attrs = {
	.node		= ZEC_A_PORT_NODE,
	.detected_node	= ZEC_A_PORT_DETECTED_NODE,
	.node_override	= ZEC_A_PORT_NODE_OVERRIDE,
	.enabled	= ZEC_A_PORT_ENABLED,
	.state		= ZEC_A_PORT_STATE,
	.down_reasons	= ZEC_A_PORT_DOWN_REASONS,
	.speed_mbps	= ZEC_A_PORT_SPEED_MBPS,
};

static void zec_msg_stats_from(u64 *v, const struct zec_port_stats *s,
			       u64 no_port, u64 failovers)
{
	v[ZEC_A_STATS_TX_LOCAL_PACKETS] = s->tx_local_packets;
	v[ZEC_A_STATS_TX_LOCAL_BYTES] = s->tx_local_bytes;
	v[ZEC_A_STATS_TX_CROSS_PACKETS] = s->tx_cross_packets;
	v[ZEC_A_STATS_TX_CROSS_BYTES] = s->tx_cross_bytes;
	v[ZEC_A_STATS_RX_PACKETS] = s->rx_packets;
	v[ZEC_A_STATS_RX_BYTES] = s->rx_bytes;
	v[ZEC_A_STATS_RX_REFLECTIONS] = s->rx_reflections;
	v[ZEC_A_STATS_RX_FLOOD_DUPLICATES] = s->rx_flood_duplicates;
	v[ZEC_A_STATS_ANNOUNCEMENTS] = s->announcements;
	v[ZEC_A_STATS_DROP_TX_ERROR] = s->tx_errors;
	v[ZEC_A_STATS_DROP_NO_PORT] = no_port;
	v[ZEC_A_STATS_SUBMITTED_PACKETS] = s->tx_local_packets +
		s->tx_cross_packets + s->tx_errors + no_port + s->tx_drop_rate;
	v[ZEC_A_STATS_FAILOVERS] = failovers;
	v[ZEC_A_STATS_DROP_RATE] = s->tx_drop_rate;
	v[ZEC_A_STATS_RATE_DELAYED] = s->tx_rate_delayed;
}

static int zec_msg_put_stats(struct sk_buff *skb, int attr, const u64 *v,
			     unsigned long mask)
{
	struct nlattr *nest = nla_nest_start(skb, attr);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for_each_set_bit(i, &mask, ZEC_A_STATS_MAX + 1) {
		if (nla_put_u64_64bit(skb, i, v[i], ZEC_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int zec_msg_put_rate_cfg(struct sk_buff *skb,
				const struct zec_rate_cfg *cfg)
{
	if ((cfg->percent &&
	     nla_put_u32(skb, ZEC_A_RATE_PERCENT, cfg->percent)) ||
	    (cfg->bps &&
	     nla_put_u64_64bit(skb, ZEC_A_RATE_BPS, cfg->bps, ZEC_A_RATE_PAD)) ||
	    (cfg->pps &&
	     nla_put_u64_64bit(skb, ZEC_A_RATE_PPS, cfg->pps, ZEC_A_RATE_PAD)) ||
	    (cfg->burst && nla_put_u32(skb, ZEC_A_RATE_BURST, cfg->burst)) ||
	    nla_put_u32(skb, ZEC_A_RATE_MODE, cfg->mode))
		return -EMSGSIZE;
	return 0;
}

/* The device default cap, if any, in a ZEC_A_DEV_RATE nest. */
static int zec_msg_put_dev_rate(struct sk_buff *skb, struct zec_dev *zec)
{
	struct nlattr *nest;

	if (!zec->rate_cfg)
		return 0;
	nest = nla_nest_start(skb, ZEC_A_DEV_RATE);
	if (!nest)
		return -EMSGSIZE;
	if (zec_msg_put_rate_cfg(skb, zec->rate_cfg)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The cap in force on a port, as configured and as enforced now. */
static int zec_msg_put_port_rate(struct sk_buff *skb, struct zec_port *port)
{
	const struct zec_rate_cfg *cfg = port->rate_cfg ?: port->zec->rate_cfg;
	const struct zec_rate *rate = rtnl_dereference(port->rate);
	struct nlattr *nest;

	if (!cfg)
		return 0;
	nest = nla_nest_start(skb, ZEC_A_PORT_RATE);
	if (!nest)
		return -EMSGSIZE;
	if (zec_msg_put_rate_cfg(skb, cfg) ||
	    (!port->rate_cfg && nla_put_flag(skb, ZEC_A_RATE_INHERITED)) ||
	    nla_put_u64_64bit(skb, ZEC_A_RATE_ACTIVE_BPS, rate ? rate->bps : 0,
			      ZEC_A_RATE_PAD) ||
	    nla_put_u64_64bit(skb, ZEC_A_RATE_ACTIVE_PPS, rate ? rate->pps : 0,
			      ZEC_A_RATE_PAD) ||
	    nla_put_u32(skb, ZEC_A_RATE_ACTIVE_BURST, rate ? rate->burst : 0)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A port's probe state, while the device is probing. */
static int zec_msg_put_port_probe(struct sk_buff *skb,
				  const struct zec_port *port)
{
	if (!rcu_access_pointer(port->zec->probe))
		return 0;
	if (nla_put_u32(skb, ZEC_A_PORT_PROBE_MISSES,
			READ_ONCE(port->probe_misses)) ||
	    nla_put_u32(skb, ZEC_A_PORT_PROBE_REPLY_AGE_MS,
			zec_probe_reply_age_ms(port)))
		return -EMSGSIZE;
	return 0;
}

/* A port's node and state, as @attrs names them. */
int zec_msg_put_port_state(struct sk_buff *skb, struct zec_port *port,
			   const struct zec_port_attrs *attrs)
{
	u32 reasons = zec_port_down_reasons(port);

	if (nla_put_u32(skb, attrs->node, zec_node_id(zec_port_node(port))) ||
	    nla_put_u32(skb, attrs->detected_node,
			zec_node_id(port->detected_node)) ||
	    (port->node_override != NUMA_NO_NODE &&
	     nla_put_u32(skb, attrs->node_override, port->node_override)) ||
	    nla_put_u8(skb, attrs->enabled, port->enabled) ||
	    nla_put_u32(skb, attrs->state, reasons ? ZEC_PORT_STATE_DOWN :
			ZEC_PORT_STATE_UP) ||
	    nla_put_u32(skb, attrs->down_reasons, reasons) ||
	    nla_put_u32(skb, attrs->speed_mbps, zec_port_speed_mbps(port)))
		return -EMSGSIZE;
	return 0;
}

static int zec_msg_put_port_config(struct sk_buff *skb, struct zec_port *port)
{
	if (zec_msg_put_port_state(skb, port, &zec_msg_port_attrs) ||
	    zec_msg_put_port_rate(skb, port))
		return -EMSGSIZE;
	return zec_msg_put_port_probe(skb, port);
}

static int zec_msg_put_port_stats(struct sk_buff *skb, struct zec_port *port)
{
	struct zec_port_stats s = {};
	u64 v[ZEC_A_STATS_MAX + 1];

	zec_stats_port(port, &s);
	zec_msg_stats_from(v, &s, 0, port->failovers);
	v[ZEC_A_STATS_PROBES_SENT] = READ_ONCE(port->probes_sent);
	v[ZEC_A_STATS_PROBE_REPLIES] = atomic64_read(&port->probe_replies);
	v[ZEC_A_STATS_PROBE_DOWNS] = port->probe_downs;
	v[ZEC_A_STATS_DAMP_HOLDS] = port->damp_holds;
	if (zec_msg_put_stats(skb, ZEC_A_PORT_STATS, v, ZEC_STATS_PORT_MASK))
		return -EMSGSIZE;
	return zec_msg_put_port_probe(skb, port);
}

int zec_msg_put_port(struct sk_buff *skb, struct zec_port *port,
		     enum zec_msg_port_what what)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_PORT);
	int err = -EMSGSIZE;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ZEC_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, ZEC_A_PORT_IFNAME, port->dev->name))
		goto cancel;
	if (what == ZEC_MSG_PORT_CONFIG)
		err = zec_msg_put_port_config(skb, port);
	else if (what == ZEC_MSG_PORT_STATS)
		err = zec_msg_put_port_stats(skb, port);
	else
		err = 0;
	if (err)
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return err;
}

/* Why @route serves @node as it does; *distance is set unless none/unknown. */
enum zec_select zec_msg_select(const struct zec_route *route, int node,
			       u32 *distance)
{
	int port_node;

	if (!route || !route->count)
		return ZEC_SELECT_NONE;
	port_node = zec_port_node(route->entries[0].port);
	if (port_node == NUMA_NO_NODE)
		return ZEC_SELECT_UNKNOWN;
	*distance = node_distance(node, port_node);
	return port_node == node ? ZEC_SELECT_LOCAL : ZEC_SELECT_NEAREST;
}

/* The ports that serve a node now: its first tier, or its head alone. */
static int zec_msg_put_node_route(struct sk_buff *skb,
				  const struct zec_route *route, int node)
{
	unsigned int i, serving = route ? zec_route_serving(route) : 0;
	enum zec_select select;
	u32 distance = 0;

	select = zec_msg_select(route, node, &distance);
	if (nla_put_u32(skb, ZEC_A_NODE_SELECT, select))
		return -EMSGSIZE;
	if ((select == ZEC_SELECT_LOCAL || select == ZEC_SELECT_NEAREST) &&
	    nla_put_u32(skb, ZEC_A_NODE_DISTANCE, distance))
		return -EMSGSIZE;
	for (i = 0; i < serving; i++)
		if (nla_put_u32(skb, ZEC_A_NODE_PORT,
				route->entries[i].port->dev->ifindex))
			return -EMSGSIZE;
	return 0;
}

/* A node's counters: the per-CPU ones of the CPUs of that node. */
static int zec_msg_put_node_stats(struct sk_buff *skb, struct zec_dev *zec,
				  const struct zec_route *route, int node)
{
	struct zec_port_stats s = {};
	u64 v[ZEC_A_STATS_MAX + 1];
	u64 no_port;

	zec_stats_node(zec, node, &s, &no_port);
	zec_msg_stats_from(v, &s, no_port, route ? route->failovers : 0);
	return zec_msg_put_stats(skb, ZEC_A_NODE_STATS, v, ZEC_STATS_NODE_MASK);
}

static int zec_msg_put_nodes(struct sk_buff *skb, struct zec_dev *zec,
			     bool stats)
{
	const struct zec_table *table = rtnl_dereference(zec->table);
	const struct zec_route *route;
	struct nlattr *nest;
	int node, err;

	for_each_node(node) {
		route = table && node < table->nr_nodes ?
			&table->routes[node] : NULL;
		nest = nla_nest_start(skb, ZEC_A_DEV_NODE);
		if (!nest)
			return -EMSGSIZE;
		err = nla_put_u32(skb, ZEC_A_NODE_ID, node);
		if (!err && stats)
			err = zec_msg_put_node_stats(skb, zec, route, node);
		else if (!err)
			err = zec_msg_put_node_route(skb, route, node);
		if (err) {
			nla_nest_cancel(skb, nest);
			return err;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

int zec_msg_put_dev_id(struct sk_buff *skb, struct zec_dev *zec)
{
	if (nla_put_u32(skb, ZEC_A_DEV_IFINDEX, zec->dev->ifindex) ||
	    nla_put_string(skb, ZEC_A_DEV_IFNAME, zec->dev->name) ||
	    nla_put_u32(skb, ZEC_A_DEV_GENERATION, zec->generation))
		return -EMSGSIZE;
	return 0;
}

static int zec_msg_put_probe(struct sk_buff *skb, const struct zec_probe *probe)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_PROBE);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < probe->nr_ipv4; i++)
		if (nla_put_in_addr(skb, ZEC_A_PROBE_TARGET_IPV4,
				    probe->ipv4[i]))
			goto cancel;
	for (i = 0; i < probe->nr_ipv6; i++)
		if (nla_put_in6_addr(skb, ZEC_A_PROBE_TARGET_IPV6,
				     &probe->ipv6[i]))
			goto cancel;
	if (nla_put_u32(skb, ZEC_A_PROBE_INTERVAL_MS, probe->interval_ms) ||
	    nla_put_u32(skb, ZEC_A_PROBE_MISS_COUNT, probe->miss_count) ||
	    nla_put_u32(skb, ZEC_A_PROBE_RECOVER_COUNT, probe->recover_count))
		goto cancel;
	/* Without damping, none of the three: the reply is a valid request. */
	if (probe->damp_count &&
	    (nla_put_u32(skb, ZEC_A_PROBE_DAMP_COUNT, probe->damp_count) ||
	     nla_put_u32(skb, ZEC_A_PROBE_DAMP_WINDOW_MS,
			 probe->damp_window_ms) ||
	     nla_put_u32(skb, ZEC_A_PROBE_DAMP_HOLD_MS, probe->damp_hold_ms)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

u32 zec_msg_ifindex(const struct zec_port *port)
{
	return port ? port->dev->ifindex : 0;
}

/* Every setting, as @map names them, and the active receive port. */
int zec_msg_put_settings(struct sk_buff *skb, struct zec_dev *zec,
			 const u16 *map, u16 rx_port_active)
{
	const struct zec_table *table = rtnl_dereference(zec->table);
	enum zec_cfg_item item;

	for (item = 0; item < ZEC_CFG_NR; item++)
		if (nla_put_u32(skb, map[item], zec_cfg_val(zec, item)))
			return -EMSGSIZE;
	if (nla_put_u32(skb, rx_port_active,
			zec_msg_ifindex(table ? table->rx_port : NULL)))
		return -EMSGSIZE;
	return 0;
}

/* One ZEC_A_DEV_MAC nest of a ZEC_CMD_MAC_GET reply. */
int zec_msg_put_mac(struct sk_buff *skb, const struct zec_mac_entry *entry,
		    const struct zec_port *port)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_MAC);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, ZEC_A_MAC_ADDR, ETH_ALEN, entry->addr) ||
	    nla_put_u32(skb, ZEC_A_MAC_NODE, entry->node) ||
	    nla_put_u32(skb, ZEC_A_MAC_PORT_IFINDEX, zec_msg_ifindex(port)) ||
	    nla_put_u32(skb, ZEC_A_MAC_AGE_MS, jiffies_to_msecs(entry->age))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int zec_msg_put_config(struct sk_buff *skb, struct zec_dev *zec)
{
	const struct zec_probe *probe = rtnl_dereference(zec->probe);
	struct zec_macs *macs = rtnl_dereference(zec->macs);
	u32 macs_count = macs ? zec_macs_count(macs,
					       msecs_to_jiffies(zec->mac_ageing_ms)) : 0;

	if (zec_msg_put_settings(skb, zec, zec_msg_cfg_map,
				 ZEC_A_DEV_RX_PORT_ACTIVE) ||
	    nla_put_u32(skb, ZEC_A_DEV_MAC_COUNT, macs_count) ||
	    zec_msg_put_dev_rate(skb, zec))
		return -EMSGSIZE;
	if (!probe)
		return 0;
	if (nla_put_u64_64bit(skb, ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE,
			      READ_ONCE(probe->rounds_no_source),
			      ZEC_A_DEV_PAD))
		return -EMSGSIZE;
	return zec_msg_put_probe(skb, probe);
}

static int zec_msg_put_failovers(struct sk_buff *skb, struct zec_dev *zec)
{
	if (nla_put_u64_64bit(skb, ZEC_A_DEV_FAILOVER_COUNT, zec->failovers,
			      ZEC_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZEC_A_DEV_LAST_FAILOVER_NS,
			      zec->last_failover_ns, ZEC_A_DEV_PAD))
		return -EMSGSIZE;
	return 0;
}

static int zec_msg_put_dev_stats(struct sk_buff *skb, struct zec_dev *zec)
{
	struct zec_port_stats s;
	u64 v[ZEC_A_STATS_MAX + 1];
	u64 no_port;

	zec_stats_dev(zec, &s, &no_port);
	zec_msg_stats_from(v, &s, no_port, zec->failovers);
	return zec_msg_put_stats(skb, ZEC_A_DEV_STATS, v, ZEC_STATS_DEV_MASK);
}

/* The body of a ZEC_CMD_DEV_GET (stats false) or ZEC_CMD_STATS_GET reply. */
int zec_msg_put_dev(struct sk_buff *skb, struct zec_dev *zec, bool stats)
{
	enum zec_msg_port_what what;
	struct zec_port *port;
	int err;

	err = zec_msg_put_dev_id(skb, zec);
	if (!err && !stats)
		err = zec_msg_put_config(skb, zec);
	if (!err)
		err = zec_msg_put_failovers(skb, zec);
	if (!err && stats)
		err = zec_msg_put_dev_stats(skb, zec);
	if (err)
		return err;
	what = stats ? ZEC_MSG_PORT_STATS : ZEC_MSG_PORT_CONFIG;
	list_for_each_entry(port, &zec->ports, list) {
		err = zec_msg_put_port(skb, port, what);
		if (err)
			return err;
	}
	return zec_msg_put_nodes(skb, zec, stats);
}

/* Room for the largest message about a device of @nr_ports: a stats reply. */
size_t zec_msg_size(unsigned int nr_ports)
{
	size_t stats = nla_total_size(0) +
		       ZEC_A_STATS_MAX * nla_total_size_64bit(sizeof(u64));
	size_t rate = nla_total_size(0) +
		      ZEC_A_RATE_MAX * nla_total_size_64bit(sizeof(u64));
	size_t port = nla_total_size(0) + 10 * nla_total_size(sizeof(u32)) +
		      nla_total_size(IFNAMSIZ) + stats + rate;
	size_t probe = nla_total_size(0) + 6 * nla_total_size(sizeof(u32)) +
		       ZEC_PROBE_TARGETS_MAX *
		       nla_total_size(sizeof(struct in6_addr));
	size_t node = nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
		      nr_ports * nla_total_size(sizeof(u32)) + stats;

	return NLMSG_ALIGN(GENL_HDRLEN) + nla_total_size(IFNAMSIZ) +
	       8 * nla_total_size_64bit(sizeof(u64)) +
	       8 * nla_total_size(sizeof(u32)) + stats + rate + probe +
	       nr_ports * port + nr_node_ids * node;
}
