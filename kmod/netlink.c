// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink family "zec" (include/uapi/linux/zec.h): get, set
 * and dump zec devices, and the notifications of the monitor group.
 *
 * As WireGuard's: strict policies at the top, one lookup (pre_doit) that
 * takes exactly one of ifindex and ifname in the caller's namespace and
 * refuses other kinds, GENL_UNS_ADMIN_PERM on every command that changes
 * state. Everything runs under RTNL, which also orders each device's
 * generation against the state it describes.
 */

#include <linux/ethtool.h>
#include <linux/inet.h>
#include <linux/nodemask.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>

#include "netlink.h"

static struct netlink_range_validation zec_up_delay_range = {
	.max = ZEC_UP_DELAY_MS_MAX,
};

static const struct nla_policy zec_port_policy[ZEC_A_PORT_MAX + 1] = {
	[ZEC_A_PORT_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ZEC_A_PORT_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[ZEC_A_PORT_NODE_OVERRIDE]	= NLA_POLICY_MAX(NLA_U32, ZEC_NODE_ID_MAX),
	[ZEC_A_PORT_NODE_AUTO]		= { .type = NLA_FLAG },
	[ZEC_A_PORT_ENABLED]		= NLA_POLICY_MAX(NLA_U8, 1),
};

static struct netlink_range_validation zec_rate_bps_range = {
	.min = ZEC_RATE_BPS_MIN,
	.max = ZEC_RATE_BPS_MAX,
};

static struct netlink_range_validation zec_rate_pps_range = {
	.min = 1,
	.max = ZEC_RATE_PPS_MAX,
};

/* A burst's lower bound is one frame, which the MTU decides: checked later. */
static const struct nla_policy zec_rate_policy[ZEC_A_RATE_MAX + 1] = {
	[ZEC_A_RATE_PERCENT]	= NLA_POLICY_RANGE(NLA_U32, 1, 100),
	[ZEC_A_RATE_BPS]	= NLA_POLICY_FULL_RANGE(NLA_U64,
							&zec_rate_bps_range),
	[ZEC_A_RATE_PPS]	= NLA_POLICY_FULL_RANGE(NLA_U64,
							&zec_rate_pps_range),
	[ZEC_A_RATE_BURST]	= { .type = NLA_U32 },
	[ZEC_A_RATE_MODE]	= NLA_POLICY_MAX(NLA_U32, ZEC_RATE_MODE_MAX),
};

static struct netlink_range_validation zec_probe_interval_range = {
	.min = ZEC_PROBE_INTERVAL_MS_MIN,
	.max = ZEC_PROBE_INTERVAL_MS_MAX,
};

static struct netlink_range_validation zec_probe_damp_ms_range = {
	.min = 1,
	.max = ZEC_PROBE_DAMP_MS_MAX,
};

static const struct nla_policy zec_probe_policy[ZEC_A_PROBE_MAX + 1] = {
	[ZEC_A_PROBE_TARGET_IPV4]	= { .type = NLA_BE32 },
	[ZEC_A_PROBE_TARGET_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[ZEC_A_PROBE_INTERVAL_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_interval_range),
	[ZEC_A_PROBE_MISS_COUNT]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   ZEC_PROBE_COUNT_MAX),
	[ZEC_A_PROBE_RECOVER_COUNT]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   ZEC_PROBE_COUNT_MAX),
	[ZEC_A_PROBE_DAMP_COUNT]	= NLA_POLICY_MAX(NLA_U32,
							 ZEC_PROBE_DAMP_COUNT_MAX),
	[ZEC_A_PROBE_DAMP_WINDOW_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_damp_ms_range),
	[ZEC_A_PROBE_DAMP_HOLD_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_damp_ms_range),
};

/* Attributes only ever sent by the kernel are absent: strict rejects them. */
static const struct nla_policy zec_dev_policy[ZEC_A_DEV_MAX + 1] = {
	[ZEC_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ZEC_A_DEV_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[ZEC_A_DEV_MODE]	= NLA_POLICY_MAX(NLA_U32, ZEC_MODE_MAX),
	[ZEC_A_DEV_UP_DELAY_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_up_delay_range),
	[ZEC_A_DEV_GARP_COUNT]	= NLA_POLICY_MAX(NLA_U32, ZEC_GARP_COUNT_MAX),
	[ZEC_A_DEV_PORT]	= NLA_POLICY_NESTED(zec_port_policy),
	[ZEC_A_DEV_RATE]	= NLA_POLICY_NESTED(zec_rate_policy),
	[ZEC_A_DEV_PROBE]	= NLA_POLICY_NESTED(zec_probe_policy),
};

static struct genl_family zec_genl_family;

/* Which ZEC_A_STATS_* each level carries. */
#define ZEC_STATS_TX	(BIT(ZEC_A_STATS_TX_LOCAL_PACKETS) | \
			 BIT(ZEC_A_STATS_TX_LOCAL_BYTES) | \
			 BIT(ZEC_A_STATS_TX_CROSS_PACKETS) | \
			 BIT(ZEC_A_STATS_TX_CROSS_BYTES) | \
			 BIT(ZEC_A_STATS_DROP_TX_ERROR) | \
			 BIT(ZEC_A_STATS_FAILOVERS) | \
			 BIT(ZEC_A_STATS_DROP_RATE) | \
			 BIT(ZEC_A_STATS_RATE_DELAYED))
#define ZEC_STATS_RX	(BIT(ZEC_A_STATS_RX_PACKETS) | BIT(ZEC_A_STATS_RX_BYTES))
#define ZEC_STATS_NODE	(BIT(ZEC_A_STATS_SUBMITTED_PACKETS) | \
			 BIT(ZEC_A_STATS_DROP_NO_PORT))
#define ZEC_STATS_PROBE	(BIT(ZEC_A_STATS_PROBES_SENT) | \
			 BIT(ZEC_A_STATS_PROBE_REPLIES) | \
			 BIT(ZEC_A_STATS_PROBE_DOWNS) | \
			 BIT(ZEC_A_STATS_DAMP_HOLDS))
#define ZEC_STATS_PORT_MASK	(ZEC_STATS_TX | ZEC_STATS_RX | ZEC_STATS_PROBE)
#define ZEC_STATS_NODE_MASK	(ZEC_STATS_TX | ZEC_STATS_NODE)
#define ZEC_STATS_DEV_MASK	(ZEC_STATS_TX | ZEC_STATS_RX | ZEC_STATS_NODE)

static void zec_nl_stats_from(u64 *v, const struct zec_port_stats *s,
			      u64 no_port, u64 failovers)
{
	v[ZEC_A_STATS_TX_LOCAL_PACKETS] = s->tx_local_packets;
	v[ZEC_A_STATS_TX_LOCAL_BYTES] = s->tx_local_bytes;
	v[ZEC_A_STATS_TX_CROSS_PACKETS] = s->tx_cross_packets;
	v[ZEC_A_STATS_TX_CROSS_BYTES] = s->tx_cross_bytes;
	v[ZEC_A_STATS_RX_PACKETS] = s->rx_packets;
	v[ZEC_A_STATS_RX_BYTES] = s->rx_bytes;
	v[ZEC_A_STATS_DROP_TX_ERROR] = s->tx_errors;
	v[ZEC_A_STATS_DROP_NO_PORT] = no_port;
	v[ZEC_A_STATS_SUBMITTED_PACKETS] = s->tx_local_packets +
		s->tx_cross_packets + s->tx_errors + no_port + s->tx_drop_rate;
	v[ZEC_A_STATS_FAILOVERS] = failovers;
	v[ZEC_A_STATS_DROP_RATE] = s->tx_drop_rate;
	v[ZEC_A_STATS_RATE_DELAYED] = s->tx_rate_delayed;
}

static int zec_nl_put_stats(struct sk_buff *skb, int attr, const u64 *v,
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

static u32 zec_nl_node(int node)
{
	return node == NUMA_NO_NODE ? ZEC_NODE_NONE : node;
}

static u32 zec_nl_down_reasons(const struct zec_port *port)
{
	u32 reasons = 0;

	if (port->link == ZEC_PORT_LINK_DOWN || port->releasing)
		reasons |= ZEC_PORT_DOWN_CARRIER;
	else if (port->link == ZEC_PORT_LINK_UP_DELAYED)
		reasons |= ZEC_PORT_DOWN_UP_DELAY;
	if (!port->enabled)
		reasons |= ZEC_PORT_DOWN_ADMIN;
	if (port->probe_down)
		reasons |= ZEC_PORT_DOWN_PROBE;
	if (port->damped)
		reasons |= ZEC_PORT_DOWN_DAMPED;
	return reasons;
}

enum zec_nl_port_what {
	ZEC_NL_PORT_NAME,	/* ifindex and ifname only */
	ZEC_NL_PORT_CONFIG,	/* as in ZEC_CMD_DEV_GET */
	ZEC_NL_PORT_STATS,	/* as in ZEC_CMD_STATS_GET */
};

static int zec_nl_put_rate_cfg(struct sk_buff *skb,
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
static int zec_nl_put_dev_rate(struct sk_buff *skb, struct zec_dev *zec)
{
	struct nlattr *nest;

	if (!zec->rate_cfg)
		return 0;
	nest = nla_nest_start(skb, ZEC_A_DEV_RATE);
	if (!nest)
		return -EMSGSIZE;
	if (zec_nl_put_rate_cfg(skb, zec->rate_cfg)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The cap in force on a port, as configured and as enforced now. */
static int zec_nl_put_port_rate(struct sk_buff *skb, struct zec_port *port)
{
	const struct zec_rate_cfg *cfg = port->rate_cfg ?: port->zec->rate_cfg;
	const struct zec_rate *rate = rtnl_dereference(port->rate);
	struct nlattr *nest;

	if (!cfg)
		return 0;
	nest = nla_nest_start(skb, ZEC_A_PORT_RATE);
	if (!nest)
		return -EMSGSIZE;
	if (zec_nl_put_rate_cfg(skb, cfg) ||
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
static int zec_nl_put_port_probe(struct sk_buff *skb,
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

static int zec_nl_put_port_config(struct sk_buff *skb, struct zec_port *port)
{
	u32 reasons = zec_nl_down_reasons(port);

	if (nla_put_u32(skb, ZEC_A_PORT_NODE, zec_nl_node(zec_port_node(port))) ||
	    nla_put_u32(skb, ZEC_A_PORT_DETECTED_NODE,
			zec_nl_node(port->detected_node)) ||
	    nla_put_u8(skb, ZEC_A_PORT_ENABLED, port->enabled) ||
	    nla_put_u32(skb, ZEC_A_PORT_STATE, reasons ? ZEC_PORT_STATE_DOWN :
			ZEC_PORT_STATE_UP) ||
	    nla_put_u32(skb, ZEC_A_PORT_DOWN_REASONS, reasons) ||
	    nla_put_u32(skb, ZEC_A_PORT_SPEED_MBPS,
			zec_port_speed_mbps(port)))
		return -EMSGSIZE;
	if (port->node_override != NUMA_NO_NODE &&
	    nla_put_u32(skb, ZEC_A_PORT_NODE_OVERRIDE, port->node_override))
		return -EMSGSIZE;
	if (zec_nl_put_port_rate(skb, port))
		return -EMSGSIZE;
	return zec_nl_put_port_probe(skb, port);
}

static int zec_nl_put_port_stats(struct sk_buff *skb, struct zec_port *port)
{
	struct zec_port_stats s = {};
	u64 v[ZEC_A_STATS_MAX + 1];

	zec_port_read_stats(port, &s);
	zec_nl_stats_from(v, &s, 0, port->failovers);
	v[ZEC_A_STATS_PROBES_SENT] = READ_ONCE(port->probes_sent);
	v[ZEC_A_STATS_PROBE_REPLIES] = atomic64_read(&port->probe_replies);
	v[ZEC_A_STATS_PROBE_DOWNS] = port->probe_downs;
	v[ZEC_A_STATS_DAMP_HOLDS] = port->damp_holds;
	if (zec_nl_put_stats(skb, ZEC_A_PORT_STATS, v, ZEC_STATS_PORT_MASK))
		return -EMSGSIZE;
	return zec_nl_put_port_probe(skb, port);
}

static int zec_nl_put_port(struct sk_buff *skb, struct zec_port *port,
			   enum zec_nl_port_what what)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_PORT);
	int err = -EMSGSIZE;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ZEC_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, ZEC_A_PORT_IFNAME, port->dev->name))
		goto cancel;
	if (what == ZEC_NL_PORT_CONFIG)
		err = zec_nl_put_port_config(skb, port);
	else if (what == ZEC_NL_PORT_STATS)
		err = zec_nl_put_port_stats(skb, port);
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
static enum zec_select zec_nl_select(const struct zec_route *route, int node,
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
static int zec_nl_put_node_route(struct sk_buff *skb,
				 const struct zec_route *route, int node)
{
	unsigned int i, serving = route ? zec_route_serving(route) : 0;
	enum zec_select select;
	u32 distance = 0;

	select = zec_nl_select(route, node, &distance);
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
static int zec_nl_put_node_stats(struct sk_buff *skb, struct zec_dev *zec,
				 const struct zec_route *route, int node)
{
	struct zec_port_stats s = {};
	u64 v[ZEC_A_STATS_MAX + 1];
	struct zec_port *port;
	unsigned int cpu;
	u64 no_port = 0;

	for_each_cpu(cpu, cpumask_of_node(node)) {
		list_for_each_entry(port, &zec->ports, list)
			zec_port_add_cpu_stats(port, cpu, &s);
		no_port += zec_dev_cpu_drops(zec, cpu);
	}
	zec_nl_stats_from(v, &s, no_port, route ? route->failovers : 0);
	return zec_nl_put_stats(skb, ZEC_A_NODE_STATS, v, ZEC_STATS_NODE_MASK);
}

static int zec_nl_put_nodes(struct sk_buff *skb, struct zec_dev *zec,
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
			err = zec_nl_put_node_stats(skb, zec, route, node);
		else if (!err)
			err = zec_nl_put_node_route(skb, route, node);
		if (err) {
			nla_nest_cancel(skb, nest);
			return err;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int zec_nl_put_dev_id(struct sk_buff *skb, struct zec_dev *zec)
{
	if (nla_put_u32(skb, ZEC_A_DEV_IFINDEX, zec->dev->ifindex) ||
	    nla_put_string(skb, ZEC_A_DEV_IFNAME, zec->dev->name) ||
	    nla_put_u32(skb, ZEC_A_DEV_GENERATION, zec->generation))
		return -EMSGSIZE;
	return 0;
}

static int zec_nl_put_probe(struct sk_buff *skb, const struct zec_probe *probe)
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

static int zec_nl_put_config(struct sk_buff *skb, struct zec_dev *zec)
{
	const struct zec_probe *probe = rtnl_dereference(zec->probe);

	if (nla_put_u32(skb, ZEC_A_DEV_MODE, zec->mode) ||
	    nla_put_u32(skb, ZEC_A_DEV_UP_DELAY_MS, zec->up_delay_ms) ||
	    nla_put_u32(skb, ZEC_A_DEV_GARP_COUNT, zec->garp_count))
		return -EMSGSIZE;
	if (zec_nl_put_dev_rate(skb, zec))
		return -EMSGSIZE;
	return probe ? zec_nl_put_probe(skb, probe) : 0;
}

static int zec_nl_put_failovers(struct sk_buff *skb, struct zec_dev *zec)
{
	if (nla_put_u64_64bit(skb, ZEC_A_DEV_FAILOVER_COUNT, zec->failovers,
			      ZEC_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZEC_A_DEV_LAST_FAILOVER_NS,
			      zec->last_failover_ns, ZEC_A_DEV_PAD))
		return -EMSGSIZE;
	return 0;
}

static int zec_nl_put_dev_stats(struct sk_buff *skb, struct zec_dev *zec)
{
	struct zec_port_stats s;
	u64 v[ZEC_A_STATS_MAX + 1];
	u64 no_port;

	zec_dev_stats(zec, &s, &no_port);
	zec_nl_stats_from(v, &s, no_port, zec->failovers);
	return zec_nl_put_stats(skb, ZEC_A_DEV_STATS, v, ZEC_STATS_DEV_MASK);
}

/* The body of a ZEC_CMD_DEV_GET (stats false) or ZEC_CMD_STATS_GET reply. */
static int zec_nl_put_dev(struct sk_buff *skb, struct zec_dev *zec,
			  bool stats)
{
	enum zec_nl_port_what what;
	struct zec_port *port;
	int err;

	err = zec_nl_put_dev_id(skb, zec);
	if (!err && !stats)
		err = zec_nl_put_config(skb, zec);
	if (!err)
		err = zec_nl_put_failovers(skb, zec);
	if (!err && stats)
		err = zec_nl_put_dev_stats(skb, zec);
	if (err)
		return err;
	what = stats ? ZEC_NL_PORT_STATS : ZEC_NL_PORT_CONFIG;
	list_for_each_entry(port, &zec->ports, list) {
		err = zec_nl_put_port(skb, port, what);
		if (err)
			return err;
	}
	return zec_nl_put_nodes(skb, zec, stats);
}

/* Room for the largest message about a device of @nr_ports: a stats reply. */
static size_t zec_nl_msg_size(unsigned int nr_ports)
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
	       8 * nla_total_size_64bit(sizeof(u64)) + stats + rate + probe +
	       nr_ports * port + nr_node_ids * node;
}

static int zec_nl_fill(struct sk_buff *skb, struct zec_dev *zec, u32 portid,
		       u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &zec_genl_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (zec_nl_put_dev(skb, zec, cmd == ZEC_CMD_STATS_GET)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The zec device a request names by exactly one of ifindex and ifname. */
static struct zec_dev *zec_nl_lookup(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[ZEC_A_DEV_IFINDEX];
	struct nlattr *ifname = attrs[ZEC_A_DEV_IFNAME];
	struct net_device *dev;

	ASSERT_RTNL();
	if (ifindex && ifname) {
		NL_SET_ERR_MSG_ATTR(extack, ifname,
				    "Name the zec device by ifindex or ifname, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(extack, "Missing zec device: give ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (ifindex)
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
	else
		dev = __dev_get_by_name(net, nla_data(ifname));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname, "No such device");
		return ERR_PTR(-ENODEV);
	}
	if (dev->rtnl_link_ops != &zec_link_ops) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "Not a zec device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/*
 * Every doit runs under RTNL, with the device its request names looked up
 * here into info->user_ptr[0]; post_doit unlocks.
 */
static int zec_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	struct zec_dev *zec;

	rtnl_lock();
	zec = zec_nl_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(zec)) {
		rtnl_unlock();
		return PTR_ERR(zec);
	}
	info->user_ptr[0] = zec;
	return 0;
}

static void zec_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	rtnl_unlock();
}

static int zec_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zec_dev *zec = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(zec_nl_msg_size(zec->nr_ports), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = zec_nl_fill(msg, zec, info->snd_portid, info->snd_seq, 0,
			  info->genlhdr->cmd, NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * A dump resumes at the device after the last one sent (cb->args[0]
 * counts them). Its sequence is the sum of the generations plus the
 * namespace's device list sequence, so a change of any zec device, or
 * one joining or leaving, marks the dump interrupted.
 */
static int zec_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;
	unsigned int seq;
	int err = 0;

	rtnl_lock();
	seq = net->dev_base_seq;
	for_each_netdev(net, dev)
		if (dev->rtnl_link_ops == &zec_link_ops)
			seq += ((struct zec_dev *)netdev_priv(dev))->generation;
	cb->seq = seq ?: 1;

	for_each_netdev(net, dev) {
		if (dev->rtnl_link_ops != &zec_link_ops)
			continue;
		if (idx < start) {
			idx++;
			continue;
		}
		err = zec_nl_fill(skb, netdev_priv(dev),
				  NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  info->op.cmd, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	/* A device too large for an empty message can never be sent. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * A device with many ports does not fit the default first dump buffer
 * (NLMSG_GOODSIZE), and a dump cannot split one device's message.
 */
static int zec_nl_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = zec_nl_msg_size(ZEC_MAX_PORTS);
	return 0;
}

static int zec_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct zec_dev *zec = info->user_ptr[0];
	struct nlattr **attrs = info->attrs;
	bool changed = false, remap = false;
	u32 value;

	if (attrs[ZEC_A_DEV_PORT] || attrs[ZEC_A_DEV_RATE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ZEC_A_DEV_PORT] ?:
				    attrs[ZEC_A_DEV_RATE],
				    "Ports and rate caps have commands of their own");
		return -EINVAL;
	}
	if (attrs[ZEC_A_DEV_MODE]) {
		value = nla_get_u32(attrs[ZEC_A_DEV_MODE]);
		remap = value != zec->mode;
		zec->mode = value;
	}
	if (attrs[ZEC_A_DEV_UP_DELAY_MS]) {
		value = nla_get_u32(attrs[ZEC_A_DEV_UP_DELAY_MS]);
		changed |= value != zec->up_delay_ms;
		zec->up_delay_ms = value;
	}
	if (attrs[ZEC_A_DEV_GARP_COUNT]) {
		value = nla_get_u32(attrs[ZEC_A_DEV_GARP_COUNT]);
		changed |= value != zec->garp_count;
		zec->garp_count = value;
	}
	if (changed || remap)
		zec_nl_dev_change(zec);
	if (remap)
		zec_route_rebuild(zec, ZEC_REASON_ADMIN);
	return 0;
}

/* The netdev named by the port nest, and the nest's parsed attributes. */
static struct net_device *zec_nl_port_dev(struct genl_info *info,
					  struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[ZEC_A_DEV_PORT];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct net_device *pdev;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing port: give a port nest");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, ZEC_A_PORT_MAX, nest, zec_port_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[ZEC_A_PORT_IFINDEX] == !tb[ZEC_A_PORT_IFNAME]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Name the port by exactly one of ifindex and ifname");
		return ERR_PTR(-EINVAL);
	}
	if (tb[ZEC_A_PORT_NODE_OVERRIDE] && tb[ZEC_A_PORT_NODE_AUTO]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_NODE_AUTO],
				    "Node override and auto exclude each other");
		return ERR_PTR(-EINVAL);
	}
	/*
	 * The policy's bound is MAX_NUMNODES - 1 at NODES_SHIFT 10; a kernel
	 * built with fewer nodes has a shorter nodemask, which node_possible()
	 * would read past.
	 */
	if (tb[ZEC_A_PORT_NODE_OVERRIDE] &&
	    (nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]) >= nr_node_ids ||
	     !node_possible(nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE])))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_NODE_OVERRIDE],
				    "No such NUMA node on this machine");
		return ERR_PTR(-EINVAL);
	}
	if (tb[ZEC_A_PORT_IFINDEX])
		pdev = __dev_get_by_index(net,
					  nla_get_u32(tb[ZEC_A_PORT_IFINDEX]));
	else
		pdev = __dev_get_by_name(net, nla_data(tb[ZEC_A_PORT_IFNAME]));
	if (!pdev) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_IFINDEX] ?:
				    tb[ZEC_A_PORT_IFNAME], "No such port device");
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

static struct zec_port *zec_nl_port_of(struct zec_dev *zec,
				       struct net_device *pdev,
				       struct netlink_ext_ack *extack)
{
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		if (port->dev == pdev)
			return port;
	NL_SET_ERR_MSG(extack, "Device is not a port of this zec device");
	return ERR_PTR(-ENOENT);
}

enum zec_nl_port_cmd { ZEC_NL_PORT_ADD, ZEC_NL_PORT_DEL, ZEC_NL_PORT_SET };

static void zec_nl_port_set(struct zec_port *port, struct nlattr **tb)
{
	int node = port->node_override;
	bool enabled = port->enabled;

	if (tb[ZEC_A_PORT_NODE_OVERRIDE])
		node = nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]);
	if (tb[ZEC_A_PORT_NODE_AUTO])
		node = NUMA_NO_NODE;
	if (tb[ZEC_A_PORT_ENABLED])
		enabled = nla_get_u8(tb[ZEC_A_PORT_ENABLED]);
	if (node == port->node_override && enabled == port->enabled)
		return;
	port->node_override = node;
	port->enabled = enabled;
	zec_nl_port_state(port, ZEC_REASON_ADMIN);
	zec_route_rebuild(port->zec, ZEC_REASON_ADMIN);
}

static int zec_nl_port_cmd(struct genl_info *info, enum zec_nl_port_cmd cmd)
{
	struct nlattr *tb[ZEC_A_PORT_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct zec_port_opts opts;
	struct net_device *pdev;
	struct zec_port *port;

	pdev = zec_nl_port_dev(info, tb);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (cmd == ZEC_NL_PORT_ADD) {
		opts.node_override = tb[ZEC_A_PORT_NODE_OVERRIDE] ?
			nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]) : NUMA_NO_NODE;
		opts.enabled = !tb[ZEC_A_PORT_ENABLED] ||
			       nla_get_u8(tb[ZEC_A_PORT_ENABLED]);
		return zec_port_add(zec, pdev, &opts, info->extack);
	}
	if (cmd == ZEC_NL_PORT_DEL)
		return zec_port_del(zec, pdev, info->extack);
	port = zec_nl_port_of(zec, pdev, info->extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	zec_nl_port_set(port, tb);
	return 0;
}

static int zec_nl_port_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_ADD);
}

static int zec_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_DEL);
}

static int zec_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_SET);
}

/* A validated rate cap from the ZEC_A_DEV_RATE nest of a request. */
static int zec_nl_rate_parse(struct nlattr *nest, struct zec_rate_cfg *cfg,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ZEC_A_RATE_MAX + 1];
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing rate: give a rate nest");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ZEC_A_RATE_MAX, nest, zec_rate_policy,
			       extack);
	if (err)
		return err;
	memset(cfg, 0, sizeof(*cfg));
	if (tb[ZEC_A_RATE_PERCENT])
		cfg->percent = nla_get_u32(tb[ZEC_A_RATE_PERCENT]);
	if (tb[ZEC_A_RATE_BPS])
		cfg->bps = nla_get_u64(tb[ZEC_A_RATE_BPS]);
	if (tb[ZEC_A_RATE_PPS])
		cfg->pps = nla_get_u64(tb[ZEC_A_RATE_PPS]);
	if (!cfg->percent && !cfg->bps && !cfg->pps) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Give a rate: percent of link speed, bit/s or packets/s");
		return -EINVAL;
	}
	/* Its lower bound, one frame, is rate.c's to check. */
	if (tb[ZEC_A_RATE_BURST])
		cfg->burst = nla_get_u32(tb[ZEC_A_RATE_BURST]);
	if (tb[ZEC_A_RATE_MODE])
		cfg->mode = nla_get_u32(tb[ZEC_A_RATE_MODE]);
	return 0;
}

/* ZEC_CMD_RATE_SET (@set) and ZEC_CMD_RATE_DEL, of a port or the device. */
static int zec_nl_rate_cmd(struct genl_info *info, bool set)
{
	struct nlattr *tb[ZEC_A_PORT_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct nlattr **attrs = info->attrs;
	struct zec_port *port = NULL;
	struct net_device *pdev;
	struct zec_rate_cfg cfg;
	int err;

	if (attrs[ZEC_A_DEV_PORT]) {
		pdev = zec_nl_port_dev(info, tb);
		if (IS_ERR(pdev))
			return PTR_ERR(pdev);
		port = zec_nl_port_of(zec, pdev, info->extack);
		if (IS_ERR(port))
			return PTR_ERR(port);
	}
	if (!set) {
		if (attrs[ZEC_A_DEV_RATE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[ZEC_A_DEV_RATE],
					    "Deleting a cap takes no rate");
			return -EINVAL;
		}
		return zec_rate_del(zec, port, info->extack);
	}
	err = zec_nl_rate_parse(attrs[ZEC_A_DEV_RATE], &cfg, info->extack);
	if (err)
		return err;
	return zec_rate_set(zec, port, &cfg, info->extack);
}

static int zec_nl_rate_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_rate_cmd(info, true);
}

static int zec_nl_rate_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_rate_cmd(info, false);
}

/*
 * A target must be another host: one of our own addresses, or a subnet
 * broadcast, never answers, and every port would go down.
 */
static bool zec_nl_probe_ipv4_ok(struct net_device *dev, __be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_loopback(addr) &&
	       !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr) &&
	       inet_addr_type_dev_table(dev_net(dev), dev, addr) == RTN_UNICAST;
}

static bool zec_nl_probe_ipv6_ok(struct net_device *dev,
				 const struct in6_addr *addr)
{
	return !ipv6_addr_any(addr) && !ipv6_addr_loopback(addr) &&
	       !ipv6_addr_is_multicast(addr) &&
	       !ipv6_addr_v4mapped(addr) &&
	       !ipv6_chk_addr(dev_net(dev), addr, NULL, 0);
}

/* The targets of a probe nest for @dev, each checked, into @probe. */
static int zec_nl_probe_targets(struct net_device *dev,
				struct zec_probe *probe, struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int rem;

	nla_for_each_nested(attr, nest, rem) {
		int type = nla_type(attr);

		if (type != ZEC_A_PROBE_TARGET_IPV4 &&
		    type != ZEC_A_PROBE_TARGET_IPV6)
			continue;
		if (probe->nr_ipv4 + probe->nr_ipv6 == ZEC_PROBE_TARGETS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Too many probe targets: at most 16");
			return -E2BIG;
		}
		if (type == ZEC_A_PROBE_TARGET_IPV4) {
			probe->ipv4[probe->nr_ipv4] = nla_get_in_addr(attr);
			if (!zec_nl_probe_ipv4_ok(dev, probe->ipv4[probe->nr_ipv4]))
				goto invalid;
			probe->nr_ipv4++;
		} else {
			probe->ipv6[probe->nr_ipv6] = nla_get_in6_addr(attr);
			if (!zec_nl_probe_ipv6_ok(dev,
						  &probe->ipv6[probe->nr_ipv6]))
				goto invalid;
			probe->nr_ipv6++;
		}
	}
	if (!probe->nr_ipv4 && !probe->nr_ipv6) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Give at least one probe target");
		return -EINVAL;
	}
	return 0;
invalid:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "A probe target must be the unicast address of another host");
	return -EINVAL;
}

static u32 zec_nl_get_u32(struct nlattr *attr, u32 absent)
{
	return attr ? nla_get_u32(attr) : absent;
}

static int zec_nl_probe_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[ZEC_A_DEV_PROBE];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[ZEC_A_PROBE_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct zec_probe *probe;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing probe configuration");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ZEC_A_PROBE_MAX, nest, zec_probe_policy,
			       extack);
	if (err)
		return err;
	if (!tb[ZEC_A_PROBE_INTERVAL_MS]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Missing probe interval");
		return -EINVAL;
	}
	/* Damping is all three or none: a lone window or hold would be lost. */
	if (zec_nl_get_u32(tb[ZEC_A_PROBE_DAMP_COUNT], 0) ?
	    !tb[ZEC_A_PROBE_DAMP_WINDOW_MS] || !tb[ZEC_A_PROBE_DAMP_HOLD_MS] :
	    tb[ZEC_A_PROBE_DAMP_WINDOW_MS] || tb[ZEC_A_PROBE_DAMP_HOLD_MS]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Flap damping takes a count, a window and a hold time together");
		return -EINVAL;
	}
	probe = kzalloc(sizeof(*probe), GFP_KERNEL);
	if (!probe)
		return -ENOMEM;
	err = zec_nl_probe_targets(zec->dev, probe, nest, extack);
	if (err) {
		kfree(probe);
		return err;
	}
	probe->interval_ms = nla_get_u32(tb[ZEC_A_PROBE_INTERVAL_MS]);
	probe->miss_count = zec_nl_get_u32(tb[ZEC_A_PROBE_MISS_COUNT],
					   ZEC_PROBE_DEFAULT_MISS_COUNT);
	probe->recover_count = zec_nl_get_u32(tb[ZEC_A_PROBE_RECOVER_COUNT],
					      ZEC_PROBE_DEFAULT_RECOVER_COUNT);
	probe->damp_count = zec_nl_get_u32(tb[ZEC_A_PROBE_DAMP_COUNT], 0);
	if (probe->damp_count) {
		probe->damp_window_ms =
			nla_get_u32(tb[ZEC_A_PROBE_DAMP_WINDOW_MS]);
		probe->damp_hold_ms = nla_get_u32(tb[ZEC_A_PROBE_DAMP_HOLD_MS]);
	}
	return zec_probe_set(zec, probe, extack);
}

static int zec_nl_probe_del(struct sk_buff *skb, struct genl_info *info)
{
	return zec_probe_del(info->user_ptr[0], info->extack);
}

/*
 * Notifications. Each bumps the generation first, even when nobody
 * listens or the message cannot be built: a listener then sees a gap.
 */
static struct sk_buff *zec_nl_ntf_new(struct zec_dev *zec, u8 cmd,
				      void **hdr)
{
	struct sk_buff *skb;

	ASSERT_RTNL();
	zec->generation++;
	if (!genl_has_listeners(&zec_genl_family, dev_net(zec->dev), 0))
		return NULL;
	skb = genlmsg_new(zec_nl_msg_size(zec->nr_ports), GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &zec_genl_family, 0, cmd);
	if (!*hdr || zec_nl_put_dev_id(skb, zec)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void zec_nl_ntf_send(struct zec_dev *zec, struct sk_buff *skb,
			    void *hdr, int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&zec_genl_family, dev_net(zec->dev), skb, 0,
				0, GFP_KERNEL);
}

/* Opens the event nest with its reason and timestamp; NULL if no room. */
static struct nlattr *zec_nl_event_start(struct sk_buff *skb,
					 enum zec_reason reason, u64 ts)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_EVENT);

	if (!nest)
		return NULL;
	if (nla_put_u32(skb, ZEC_A_EVENT_REASON, reason) ||
	    nla_put_u64_64bit(skb, ZEC_A_EVENT_TIMESTAMP_NS, ts,
			      ZEC_A_EVENT_PAD)) {
		nla_nest_cancel(skb, nest);
		return NULL;
	}
	return nest;
}

static void zec_nl_port_ntf(struct zec_port *port, u8 cmd,
			    enum zec_nl_port_what what, int reason)
{
	struct zec_dev *zec = port->zec;
	struct nlattr *event;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = zec_nl_ntf_new(zec, cmd, &hdr);
	if (!skb)
		return;
	err = zec_nl_put_port(skb, port, what);
	if (!err && reason >= 0) {
		event = zec_nl_event_start(skb, reason, ktime_get_ns());
		if (event)
			nla_nest_end(skb, event);
		else
			err = -EMSGSIZE;
	}
	zec_nl_ntf_send(zec, skb, hdr, err);
}

void zec_nl_port_added(struct zec_port *port)
{
	zec_nl_port_ntf(port, ZEC_CMD_PORT_ADD_NTF, ZEC_NL_PORT_CONFIG, -1);
}

void zec_nl_port_removed(struct zec_port *port)
{
	zec_nl_port_ntf(port, ZEC_CMD_PORT_DEL_NTF, ZEC_NL_PORT_NAME,
			ZEC_REASON_REMOVED);
}

void zec_nl_port_state(struct zec_port *port, enum zec_reason reason)
{
	zec_nl_port_ntf(port, ZEC_CMD_PORT_STATE_NTF, ZEC_NL_PORT_CONFIG,
			reason);
}

static u32 zec_nl_head(const struct zec_route *route)
{
	return route->count ? route->entries[0].port->dev->ifindex : 0;
}

void zec_nl_failover(struct zec_dev *zec, int node,
		     const struct zec_route *old, const struct zec_route *new,
		     enum zec_reason reason, u64 timestamp_ns)
{
	struct nlattr *event;
	struct sk_buff *skb;
	u32 distance;
	void *hdr;
	int err;

	skb = zec_nl_ntf_new(zec, ZEC_CMD_FAILOVER_NTF, &hdr);
	if (!skb)
		return;
	event = zec_nl_event_start(skb, reason, timestamp_ns);
	err = event ? 0 : -EMSGSIZE;
	if (!err &&
	    (nla_put_u32(skb, ZEC_A_EVENT_NODE, node) ||
	     nla_put_u32(skb, ZEC_A_EVENT_FROM_IFINDEX, zec_nl_head(old)) ||
	     nla_put_u32(skb, ZEC_A_EVENT_TO_IFINDEX, zec_nl_head(new)) ||
	     nla_put_u32(skb, ZEC_A_EVENT_SELECT,
			 zec_nl_select(new, node, &distance))))
		err = -EMSGSIZE;
	if (!err)
		nla_nest_end(skb, event);
	zec_nl_ntf_send(zec, skb, hdr, err);
}

void zec_nl_dev_change(struct zec_dev *zec)
{
	struct sk_buff *skb;
	void *hdr;

	skb = zec_nl_ntf_new(zec, ZEC_CMD_DEV_CHANGE_NTF, &hdr);
	if (skb)
		zec_nl_ntf_send(zec, skb, hdr, zec_nl_put_config(skb, zec));
}

/* The dumps need .start, which small ops lack. */
static const struct genl_ops zec_nl_dump_ops[] = {
	{
		.cmd = ZEC_CMD_DEV_GET,
		.doit = zec_nl_get_doit,
		.start = zec_nl_dump_start,
		.dumpit = zec_nl_dump,
	},
	{
		.cmd = ZEC_CMD_STATS_GET,
		.doit = zec_nl_get_doit,
		.start = zec_nl_dump_start,
		.dumpit = zec_nl_dump,
	},
};

static const struct genl_small_ops zec_nl_ops[] = {
	{
		.cmd = ZEC_CMD_DEV_SET,
		.doit = zec_nl_dev_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_ADD,
		.doit = zec_nl_port_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_DEL,
		.doit = zec_nl_port_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_SET,
		.doit = zec_nl_port_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_RATE_SET,
		.doit = zec_nl_rate_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_RATE_DEL,
		.doit = zec_nl_rate_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PROBE_SET,
		.doit = zec_nl_probe_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PROBE_DEL,
		.doit = zec_nl_probe_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group zec_nl_mcgrps[] = {
	{ .name = ZEC_MCGRP_MONITOR },
};

static struct genl_family zec_genl_family __ro_after_init = {
	.name = ZEC_GENL_NAME,
	.version = ZEC_GENL_VERSION,
	.maxattr = ZEC_A_DEV_MAX,
	.policy = zec_dev_policy,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = zec_nl_pre_doit,
	.post_doit = zec_nl_post_doit,
	.module = THIS_MODULE,
	.ops = zec_nl_dump_ops,
	.n_ops = ARRAY_SIZE(zec_nl_dump_ops),
	.small_ops = zec_nl_ops,
	.n_small_ops = ARRAY_SIZE(zec_nl_ops),
	.mcgrps = zec_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(zec_nl_mcgrps),
};

int __init zec_genl_init(void)
{
	return genl_register_family(&zec_genl_family);
}

void zec_genl_exit(void)
{
	genl_unregister_family(&zec_genl_family);
}
