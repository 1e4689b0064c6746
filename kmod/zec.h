/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal state of a zec device and its ports.
 *
 * Locking: everything that changes a device, its port list or its egress
 * table runs under RTNL. The transmit and receive paths only read, under
 * RCU (BH), the published egress table and the port the rx_handler names.
 *
 * Calls between files run one way, from the entry points down:
 *   main -> device -> rtnl;  main -> netlink
 *   netlink, rtnl -> port -> probe -> failover -> route
 *   netlink, rtnl -> config -> failover, announce, macs
 *   port, netlink -> rate -> shaper -> send <- xmit
 *   device, port -> xdp -> xmit, send
 *   failover, netlink -> announce -> macs <- xmit, port;  announce -> peers
 *   failover, probe -> peers;  ethtool, msg, port -> stats -> shaper
 *   whoever reports a change -> notify -> msg;  netlink, rtnl -> msg
 * A lower file never calls a higher one; what it found out, it returns.
 */
#ifndef ZEC_H
#define ZEC_H

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/hrtimer.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/seqlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <uapi/linux/zec.h>

/* A port table row is indexed by u8 and ports are few per host. */
#define ZEC_MAX_PORTS		32
#define ZEC_DEFAULT_GARP_COUNT	1

struct zec_port_pcpu_stats {
	u64_stats_t tx_local_packets;
	u64_stats_t tx_local_bytes;
	u64_stats_t tx_cross_packets;
	u64_stats_t tx_cross_bytes;
	u64_stats_t tx_errors;
	u64_stats_t tx_drop_rate;
	u64_stats_t tx_rate_delayed;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_reflections;
	u64_stats_t rx_flood_duplicates;
	u64_stats_t announcements;
	struct u64_stats_sync syncp;
};

/* Bumps @counter, one of @stats: this CPU's counters of a port. BH off. */
static inline void zec_port_stats_inc(struct zec_port_pcpu_stats *stats,
				      u64_stats_t *counter)
{
	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&stats->syncp);
}

/* Totals of one port's per-CPU counters. */
struct zec_port_stats {
	u64 tx_local_packets;
	u64 tx_local_bytes;
	u64 tx_cross_packets;
	u64 tx_cross_bytes;
	u64 tx_errors;
	u64 tx_drop_rate;
	u64 tx_rate_delayed;
	u64 tx_rate_queued;		/* held by a shaper now */
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_reflections;
	u64 rx_flood_duplicates;
	u64 announcements;
};

/* Why a packet submitted to zec0 did not reach a port's queue. */
struct zec_dev_pcpu_stats {
	u64_stats_t tx_drop_no_port;
	struct u64_stats_sync syncp;
};

enum zec_port_link {
	ZEC_PORT_LINK_DOWN,
	ZEC_PORT_LINK_UP_DELAYED,	/* carrier back, waiting for up_delay */
	ZEC_PORT_LINK_UP,
};

/* A rate cap as the operator gave it (ZEC_A_RATE_*); control path only. */
struct zec_rate_cfg {
	u32 percent;			/* of link speed; 0: absolute only */
	u64 bps;			/* absolute, or fallback with percent */
	u64 pps;
	u32 burst;			/* bytes; 0: default */
	enum zec_rate_mode mode;
};

/* Fractional bits of the ns costs in struct zec_rate. */
#define ZEC_RATE_SHIFT		20

/*
 * What the transmit path enforces, derived from a zec_rate_cfg, the
 * port's link speed and zec0's MTU, published by RCU. Costs are in ns of
 * the cap's time, fixed point with ZEC_RATE_SHIFT fractional bits.
 */
struct zec_rate {
	u64 byte_ns_fp;			/* 0: no bit/s cap */
	u64 packet_ns_fp;		/* 0: no packet/s cap */
	u64 burst_ns;
	u64 bps, pps;			/* as reported */
	u32 burst;
	bool shape;
	struct rcu_head rcu;
};

/* Packets one CPU's shaper of a port holds at most; more are dropped. */
#define ZEC_SHAPER_QLEN		256

/*
 * The packets a shaping cap holds back on one CPU, in the order they may
 * leave, and the CPU-pinned timer that sends them (shaper.c).
 */
struct zec_shaper {
	struct sk_buff_head held;
	struct hrtimer timer;
	struct zec_port *port;
};

struct zec_port {
	struct list_head list;		/* in zec_dev.ports, RCU */
	struct zec_dev *zec;
	struct net_device *dev;
	struct zec_port_pcpu_stats __percpu *stats;

	int detected_node;		/* NUMA_NO_NODE when unknown */
	int node_override;		/* NUMA_NO_NODE: use detected_node */
	bool enabled;			/* operator's admin switch for zec */
	bool releasing;
	enum zec_port_link link;
	struct delayed_work up_delay_work;
	u64 failovers;			/* times traffic moved away from it */
	/* What rtnetlink's listeners were last told of it (notify.c). */
	u32 told_reasons;
	int told_node_override;

#ifdef CONFIG_NET_POLL_CONTROLLER
	struct netpoll *np;		/* while zec0 has netpoll */
#endif
	struct zec_rate __rcu *rate;	/* NULL: no cap */
	struct zec_rate_cfg *rate_cfg;	/* own cap; NULL: the device's */
	/* Time at which what the cap let pass has drained (ns, monotonic). */
	atomic64_t rate_tat ____cacheline_aligned_in_smp;
	struct zec_shaper __percpu *shaper;
	/*
	 * Health probes (probe.c). The receive path sets the reply fields;
	 * the probe work alone counts misses and good intervals and sends;
	 * the verdicts and damping state change under RTNL.
	 */
	atomic64_t probe_reply_ns;	/* CLOCK_MONOTONIC, last valid reply */
	atomic64_t probe_replies;
	u64 probes_sent;
	/* The last round it answers for: it sent in it, or had no link. */
	u64 probe_round_ns;
	u32 probe_misses;		/* intervals in a row without a reply */
	u32 probe_good;			/* intervals in a row with one */
	bool probe_down;
	bool damped;
	unsigned long damp_until;	/* jiffies */
	/* When the port last went down: a ring of damp_count + 1 entries. */
	unsigned long downs[ZEC_PROBE_DAMP_COUNT_MAX + 1];
	u8 downs_next;
	u8 downs_seen;
	u64 probe_downs;
	u64 damp_holds;

	/* Restored on release. */
	unsigned int orig_mtu;
	u8 orig_addr[MAX_ADDR_LEN];
	bool orig_up;

	struct rcu_head rcu;
};

/* The node a port serves: the operator's override, else the detected one. */
static inline int zec_port_node(const struct zec_port *port)
{
	if (port->node_override != NUMA_NO_NODE)
		return port->node_override;
	return port->detected_node;
}

/* A node as the uapi reports it: ZEC_NODE_NONE for NUMA_NO_NODE. */
static inline u32 zec_node_id(int node)
{
	return node == NUMA_NO_NODE ? ZEC_NODE_NONE : node;
}

/* Up but for probes and damping: what a port's carrier and probes allow. */
static inline bool zec_port_usable(const struct zec_port *port)
{
	return port->link == ZEC_PORT_LINK_UP && !port->probe_down &&
	       !port->damped;
}

/* Whether the egress table may list it. */
static inline bool zec_port_healthy(const struct zec_port *port)
{
	return port->enabled && !port->releasing && zec_port_usable(port);
}

/* Why a port carries no traffic: ZEC_PORT_DOWN_* bits, 0 when it does. */
static inline u32 zec_port_down_reasons(const struct zec_port *port)
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

/* A ZEC_CMD_PROBE_SET configuration, published with RCU for receive. */
struct zec_probe {
	struct rcu_head rcu;
	u32 interval_ms;
	u32 miss_count;
	u32 recover_count;
	u32 damp_count;			/* 0: no flap damping */
	u32 damp_window_ms;
	u32 damp_hold_ms;
	unsigned int nr_ipv4;
	unsigned int nr_ipv6;
	__be32 ipv4[ZEC_PROBE_TARGETS_MAX];
	/* Source of the last ARP probe to ipv4[i]; set by the probe work. */
	__be32 ipv4_source[ZEC_PROBE_TARGETS_MAX];
	struct in6_addr ipv6[ZEC_PROBE_TARGETS_MAX];
	/* Rounds no port sent in for want of a source; set by the work. */
	u64 rounds_no_source;
};

/*
 * Where the CPUs of one node send: entries[] lists every usable port,
 * best tier first. A tier is a run of equally good ports (the node's own,
 * then those of the next nearest node, ..., then ports of unknown node);
 * each entry records where its tier ends so that the transmit path can
 * hash over a tier and move on to the next one without searching.
 */
struct zec_route_entry {
	struct zec_port *port;
	u8 tier_end;
	bool local;
	/* Independent mode: an index in zec_table.own_srcs, or ZEC_NO_OWN_SRC. */
	u8 own_src;
};

#define ZEC_NO_OWN_SRC		U8_MAX

struct zec_route {
	u8 count;
	/* ZEC_MODE_LAG: hash flows over a tier; else its first port serves. */
	bool spread;
	struct zec_route_entry entries[ZEC_MAX_PORTS];
	/* Times the node's first tier changed; carried over on rebuild. */
	u64 failovers;
};

/*
 * How many ports, from the first, serve the route's node now: its first
 * tier in lag mode, the first port of that tier in independent mode.
 */
static inline unsigned int zec_route_serving(const struct zec_route *route)
{
	if (!route->count)
		return 0;
	return route->spread ? route->entries[0].tier_end : 1;
}

struct zec_table {
	struct rcu_head rcu;
	bool independent;		/* ZEC_MODE_INDEPENDENT */
	/*
	 * Independent mode: the one port that takes broadcast and multicast
	 * in, and sends from zec0's MAC; NULL in lag mode or when no port is
	 * healthy.
	 */
	struct zec_port *rx_port;
	int rx_port_node;
	/*
	 * Independent mode: the source MACs the other ports write over
	 * zec0's in the host's own unicast frames (route.c).
	 */
	u8 nr_own_srcs;
	u8 own_srcs[ZEC_MAX_PORTS][ETH_ALEN];
	unsigned int nr_nodes;
	struct zec_route routes[];
};

/* Whether @addr is one of the source MACs the ports write over zec0's. */
static inline bool zec_table_own_src(const struct zec_table *table,
				     const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < table->nr_own_srcs; i++)
		if (ether_addr_equal(table->own_srcs[i], addr))
			return true;
	return false;
}

/* The first port serving @node now, or NULL (none, or no such node). */
static inline struct zec_port *zec_table_head(const struct zec_table *table,
					      int node)
{
	if (node < 0 || node >= table->nr_nodes || !table->routes[node].count)
		return NULL;
	return table->routes[node].entries[0].port;
}

struct zec_dev {
	struct net_device *dev;
	struct list_head ports;
	unsigned int nr_ports;
	struct zec_table __rcu *table;
	struct zec_dev_pcpu_stats __percpu *stats;

	u32 mode;			/* enum zec_mode */
	u32 up_delay_ms;
	u32 garp_count;
	struct zec_rate_cfg *rate_cfg;	/* default cap of the ports, or NULL */
	struct zec_port *rx_port_cfg;	/* NULL: automatic */

	/* Independent mode only: the source MACs sent (macs.c). */
	struct zec_macs __rcu *macs;
	u32 mac_table_size;
	u32 mac_ageing_ms;
	/* Announcements of the MACs of nodes whose port changed. */
	u32 announce_count;
	u32 announce_interval_ms;
	u32 announce_rate;
	struct delayed_work announce_work;
	nodemask_t announce_nodes;
	u32 announce_rounds;		/* left to send; 0: idle */
	unsigned int announce_pos;	/* next slot of this round */
	/* Independent mode: zec0's MAC taught to the fabric (announce.c). */
	struct delayed_work learn_work;
	/* Set while zec itself changes a port's MTU or MAC address. */
	bool port_change_allowed;

	u64 failovers;
	u64 last_failover_ns;		/* CLOCK_MONOTONIC */
	struct ratelimit_state failover_rs;	/* of the failover log lines */

	/* Attached natively to every port (xdp.c); holds the core's ref. */
	struct bpf_prog *xdp_prog;

	struct zec_probe __rcu *probe;	/* NULL: not probing */
	struct delayed_work probe_work;
	u64 probe_round_ns;		/* when the last round was sent */
	bool probe_commit_pending;	/* a verdict is waiting for RTNL */
	/* Bumped with every notification of the zec genl family. */
	u32 generation;

	/*
	 * Counters of ports that have left, so totals never go backwards
	 * (stats.c). Written under RTNL when a port leaves, read without a
	 * lock; a line of their own, away from what every transmit reads.
	 */
	struct {
		seqcount_t seq;
		struct zec_port_stats sum;
	} retired ____cacheline_aligned_in_smp;
};

/* Options of a port that apply before it carries traffic. */
struct zec_port_opts {
	int node_override;		/* NUMA_NO_NODE: detect */
	bool enabled;
};

/* Readings of a port's state, for probe.c, rate.c and the messages. */
static inline u32 zec_probe_reply_age_ms(const struct zec_port *port)
{
	u64 at = atomic64_read(&port->probe_reply_ns);

	if (!at)
		return ZEC_PROBE_NO_REPLY;
	return min_t(u64, div_u64(ktime_get_ns() - at, NSEC_PER_MSEC),
		     ZEC_PROBE_NO_REPLY - 1);
}

/* The port's link speed from ethtool; ZEC_SPEED_UNKNOWN if not known. */
static inline u32 zec_port_speed_mbps(struct zec_port *port)
{
	struct ethtool_link_ksettings ks;

	ASSERT_RTNL();
	if (__ethtool_get_link_ksettings(port->dev, &ks) ||
	    ks.base.speed == SPEED_UNKNOWN || !ks.base.speed)
		return ZEC_SPEED_UNKNOWN;
	return ks.base.speed;
}

/* What zec0 offers of what its ports do (device.c, port.c). */
#define ZEC_VLAN_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | \
				 NETIF_F_GSO_ENCAP_ALL | \
				 NETIF_F_HIGHDMA | NETIF_F_LRO)

#define ZEC_ENC_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE)

#define ZEC_MPLS_FEATURES	(NETIF_F_HW_CSUM | NETIF_F_SG | \
				 NETIF_F_GSO_SOFTWARE)

/* device.c */
extern struct rtnl_link_ops zec_link_ops;
int zec_device_init(void);
void zec_device_exit(void);

/* rtnl.c: the rtnetlink ops of zec_link_ops */
extern const struct nla_policy zec_rtnl_policy[IFLA_ZEC_MAX + 1];
int zec_rtnl_validate(struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack);
int zec_rtnl_newlink(struct net *src_net, struct net_device *dev,
		     struct nlattr *tb[], struct nlattr *data[],
		     struct netlink_ext_ack *extack);
int zec_rtnl_changelink(struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack);
size_t zec_rtnl_get_size(const struct net_device *dev);
int zec_rtnl_fill_info(struct sk_buff *skb, const struct net_device *dev);
size_t zec_rtnl_get_slave_size(const struct net_device *dev,
			       const struct net_device *slave_dev);
int zec_rtnl_fill_slave_info(struct sk_buff *skb, const struct net_device *dev,
			     const struct net_device *slave_dev);

/* port.c */
struct zec_port *zec_port_get_rtnl(const struct net_device *pdev);
int zec_port_add(struct zec_dev *zec, struct net_device *pdev,
		 const struct zec_port_opts *opts,
		 struct netlink_ext_ack *extack);
int zec_port_del(struct zec_dev *zec, struct net_device *pdev,
		 struct netlink_ext_ack *extack);
void zec_port_del_all(struct zec_dev *zec);
netdev_features_t zec_fix_features(struct net_device *dev,
				   netdev_features_t features);
void zec_inherit_features(struct zec_dev *zec);
void zec_compute_features(struct zec_dev *zec);
int zec_port_set_mtu(struct zec_port *port, unsigned int mtu);
int zec_port_set_addr(struct zec_port *port, const u8 *addr,
		      struct netlink_ext_ack *extack);
bool zec_node_valid(u32 node);
void zec_port_configure(struct zec_port *port, int node_override,
			bool enabled);
int zec_port_notifier_init(void);
void zec_port_notifier_exit(void);

/* config.c: a device's settings, as the two netlink interfaces set them. */
enum zec_cfg_item {
	ZEC_CFG_MODE,
	ZEC_CFG_UP_DELAY_MS,
	ZEC_CFG_GARP_COUNT,
	ZEC_CFG_RX_PORT,		/* ifindex; 0: automatic */
	ZEC_CFG_MAC_TABLE_SIZE,
	ZEC_CFG_MAC_AGEING_MS,
	ZEC_CFG_ANNOUNCE_COUNT,
	ZEC_CFG_ANNOUNCE_INTERVAL_MS,
	ZEC_CFG_ANNOUNCE_RATE,
	ZEC_CFG_NR
};

/* Where each setting lives in struct zec_dev; the receive port aside. */
static inline u32 *zec_cfg_field(struct zec_dev *zec, enum zec_cfg_item item)
{
	switch (item) {
	case ZEC_CFG_MODE:
		return &zec->mode;
	case ZEC_CFG_UP_DELAY_MS:
		return &zec->up_delay_ms;
	case ZEC_CFG_GARP_COUNT:
		return &zec->garp_count;
	case ZEC_CFG_MAC_TABLE_SIZE:
		return &zec->mac_table_size;
	case ZEC_CFG_MAC_AGEING_MS:
		return &zec->mac_ageing_ms;
	case ZEC_CFG_ANNOUNCE_COUNT:
		return &zec->announce_count;
	case ZEC_CFG_ANNOUNCE_INTERVAL_MS:
		return &zec->announce_interval_ms;
	case ZEC_CFG_ANNOUNCE_RATE:
		return &zec->announce_rate;
	default:
		return NULL;
	}
}

/* A setting in force; the receive port as its ifindex (0: automatic). */
static inline u32 zec_cfg_val(struct zec_dev *zec, enum zec_cfg_item item)
{
	u32 *field = zec_cfg_field(zec, item);

	if (field)
		return *field;
	return zec->rx_port_cfg ? zec->rx_port_cfg->dev->ifindex : 0;
}

struct zec_cfg {
	u32 val[ZEC_CFG_NR];
	struct zec_port *rx_port;
	struct zec_macs *macs;		/* prepared for independent mode */
};

/* Each setting's bounds, for the policies of both attribute spaces. */
extern struct netlink_range_validation zec_cfg_up_delay_range __ro_after_init;
extern struct netlink_range_validation zec_cfg_mac_table_size_range __ro_after_init;
extern struct netlink_range_validation zec_cfg_mac_ageing_range __ro_after_init;
extern struct netlink_range_validation zec_cfg_announce_interval_range __ro_after_init;
extern struct netlink_range_validation zec_cfg_announce_rate_range __ro_after_init;

#define ZEC_CFG_POLICY_MODE	NLA_POLICY_MAX(NLA_U32, ZEC_MODE_MAX)
#define ZEC_CFG_POLICY_UP_DELAY_MS \
	NLA_POLICY_FULL_RANGE(NLA_U32, &zec_cfg_up_delay_range)
#define ZEC_CFG_POLICY_GARP_COUNT \
	NLA_POLICY_MAX(NLA_U32, ZEC_GARP_COUNT_MAX)
#define ZEC_CFG_POLICY_RX_PORT	{ .type = NLA_U32 }
#define ZEC_CFG_POLICY_MAC_TABLE_SIZE \
	NLA_POLICY_FULL_RANGE(NLA_U32, &zec_cfg_mac_table_size_range)
#define ZEC_CFG_POLICY_MAC_AGEING_MS \
	NLA_POLICY_FULL_RANGE(NLA_U32, &zec_cfg_mac_ageing_range)
#define ZEC_CFG_POLICY_ANNOUNCE_COUNT \
	NLA_POLICY_MAX(NLA_U32, ZEC_ANNOUNCE_COUNT_MAX)
#define ZEC_CFG_POLICY_ANNOUNCE_INTERVAL_MS \
	NLA_POLICY_FULL_RANGE(NLA_U32, &zec_cfg_announce_interval_range)
#define ZEC_CFG_POLICY_ANNOUNCE_RATE \
	NLA_POLICY_FULL_RANGE(NLA_U32, &zec_cfg_announce_rate_range)

int zec_cfg_parse(struct zec_dev *zec, struct zec_cfg *cfg,
		  struct nlattr *const *attrs, const u16 *map,
		  struct netlink_ext_ack *extack);
void zec_cfg_abort(struct zec_dev *zec, struct zec_cfg *cfg);
void zec_cfg_commit(struct zec_dev *zec, struct zec_cfg *cfg);
int zec_cfg_set(struct zec_dev *zec, struct nlattr *const *attrs,
		const u16 *map, struct netlink_ext_ack *extack);

/*
 * msg.c: the attribute writers rtnl.c shares with family zec's messages,
 * each attribute type from the caller's attribute space.
 */
struct zec_port_attrs {
	u16 node;
	u16 detected_node;
	u16 node_override;		/* only when set */
	u16 enabled;			/* u8 */
	u16 state;
	u16 down_reasons;
	u16 speed_mbps;
};

int zec_msg_put_settings(struct sk_buff *skb, struct zec_dev *zec,
			 const u16 *map, u16 rx_port_active);
int zec_msg_put_port_state(struct sk_buff *skb, struct zec_port *port,
			   const struct zec_port_attrs *attrs);

/* failover.c */
void zec_ports_changed(struct zec_dev *zec, enum zec_reason reason);

/* route.c */

/* What a rebuild of the egress table changed, for its caller to report. */
struct zec_route_delta {
	struct zec_table *old;		/* NULL: nothing to compare with */
	struct zec_table *new;
	u64 ts;				/* CLOCK_MONOTONIC, of the rebuild */
	nodemask_t nodes;		/* whose serving ports changed */
	unsigned int nr_takeovers;
	/* Ports that now serve a node they did not: they announce. */
	struct zec_port *takeovers[ZEC_MAX_PORTS];
};

int zec_route_init(struct zec_dev *zec);
void zec_route_rebuild(struct zec_dev *zec, enum zec_reason reason,
		       struct zec_route_delta *delta);
void zec_route_delta_free(struct zec_route_delta *delta);

/* xmit.c */
struct xdp_frame;

struct zec_port *zec_xmit_frame_port(struct zec_dev *zec,
				     struct xdp_frame *xdpf, bool *local);
void zec_count_no_port(struct zec_dev *zec, unsigned int n);
u16 zec_select_queue(struct net_device *dev, struct sk_buff *skb,
		     struct net_device *sb_dev);
netdev_tx_t zec_xmit(struct sk_buff *skb, struct net_device *dev);

/* send.c */
/*
 * The table is rebuilt when the notifier for a carrier change runs, which
 * linkwatch may deliver up to a second after the driver dropped carrier.
 * The carrier bit itself flips at once, so check it here too. A driver
 * that detaches its device (PCI error recovery, suspend, a NIC being
 * hot-removed) keeps carrier and sends no notification at all; a device
 * being closed is no longer running before the notifier runs.
 */
static inline bool zec_port_can_send(const struct zec_port *port)
{
	const struct net_device *pdev = port->dev;

	return netif_carrier_ok(pdev) && netif_running(pdev) &&
	       netif_device_present(pdev);
}

void zec_count_tx(struct zec_port *port, bool local, unsigned int packets,
		  u64 bytes, unsigned int errors);
void zec_port_send(struct zec_port *port, struct sk_buff *skb, bool local);
int zec_port_send_frames(struct zec_port *port, struct xdp_frame **frames,
			 int n, u32 flags, bool local);
void zec_netpoll_send(struct zec_port *port, struct sk_buff *skb, bool local);
#ifdef CONFIG_NET_POLL_CONTROLLER
int zec_netpoll_setup(struct net_device *dev, struct netpoll_info *ni);
void zec_netpoll_cleanup(struct net_device *dev);
void zec_poll_controller(struct net_device *dev);
int zec_port_netpoll_enable(struct zec_port *port);
void zec_port_netpoll_disable(struct zec_port *port);
#else
static inline int zec_port_netpoll_enable(struct zec_port *port)
{
	return 0;
}

static inline void zec_port_netpoll_disable(struct zec_port *port)
{
}
#endif

/* xdp.c */
int zec_xdp(struct net_device *dev, struct netdev_bpf *xdp);
int zec_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags);
int zec_xdp_port_join(struct zec_port *port, struct netlink_ext_ack *extack);
void zec_xdp_port_leave(struct zec_port *port);

/* rate.c */
int zec_rate_apply(struct zec_port *port);
void zec_rate_refresh(struct zec_port *port);
void zec_rate_mtu_changed(struct zec_dev *zec);
int zec_rate_set(struct zec_dev *zec, struct zec_port *port,
		 const struct zec_rate_cfg *cfg,
		 struct netlink_ext_ack *extack);
int zec_rate_del(struct zec_dev *zec, struct zec_port *port,
		 struct netlink_ext_ack *extack);
int zec_rate_port_init(struct zec_port *port);
void zec_rate_port_stop(struct zec_port *port);
void zec_rate_port_release(struct zec_port *port);

/* shaper.c */
enum zec_rate_verdict { ZEC_RATE_PASS, ZEC_RATE_DROP, ZEC_RATE_HELD };
enum zec_rate_verdict zec_rate_check(struct zec_port *port,
				     const struct zec_rate *rate,
				     struct sk_buff *skb, bool local);
int zec_shaper_init(struct zec_port *port);
u32 zec_shaper_queued(const struct zec_port *port, unsigned int cpu);
void zec_shaper_stop(struct zec_port *port);
void zec_shaper_free(struct zec_port *port);

/* peers.c */
void zec_notify_peers(struct zec_dev *zec, struct zec_port *port);
bool zec_send_rarp(struct zec_port *port, const u8 *mac);
void zec_send_learning(struct zec_port *port, const u8 *mac,
		       __be16 vlan_proto, u16 vid);
void zec_send_arp_request(struct zec_port *port, __be32 src, __be32 dst);
void zec_send_ndisc(struct zec_port *port, u8 type,
		    const struct in6_addr *saddr, const struct in6_addr *daddr,
		    const struct in6_addr *target);

/* probe.c */
void zec_probe_init(struct zec_dev *zec);
bool zec_probe_target4_ok(struct net_device *dev, __be32 addr);
bool zec_probe_target6_ok(struct net_device *dev, const struct in6_addr *addr);
void zec_probe_set(struct zec_dev *zec, struct zec_probe *probe,
		   struct netlink_ext_ack *extack);
int zec_probe_del(struct zec_dev *zec, struct netlink_ext_ack *extack);
void zec_probe_teardown(struct zec_dev *zec);
void zec_probe_rx(struct zec_port *port, const struct zec_probe *probe,
		  const struct sk_buff *skb);
void zec_probe_note_down(struct zec_port *port);

/* macs.c */
struct zec_macs;

struct zec_mac_entry {
	u8 addr[ETH_ALEN];
	int node;
	unsigned long age;		/* jiffies */
};

struct zec_macs *zec_macs_alloc(u32 size);
void zec_macs_free(struct zec_macs *macs);
unsigned int zec_macs_slots(const struct zec_macs *macs);
void zec_macs_learn(struct zec_macs *macs, const u8 *addr, int node);
int zec_macs_sender(struct zec_macs *macs, const u8 *addr,
		    unsigned long window);
bool zec_macs_entry(struct zec_macs *macs, unsigned int i,
		    unsigned long ageing, struct zec_mac_entry *entry);
void zec_macs_touch(struct zec_macs *macs, unsigned int i);
unsigned int zec_macs_count(struct zec_macs *macs, unsigned long ageing);

/* announce.c */
void zec_announce_init(struct zec_dev *zec);
void zec_announce_start(struct zec_dev *zec, const nodemask_t *nodes);
void zec_announce_stop(struct zec_dev *zec);
void zec_learn_update(struct zec_dev *zec);
void zec_learn_stop(struct zec_dev *zec);

/* stats.c */
void zec_stats_init(struct zec_dev *zec);
void zec_stats_port(const struct zec_port *port, struct zec_port_stats *sum);
void zec_stats_dev(struct zec_dev *zec, struct zec_port_stats *total,
		   u64 *tx_drop_no_port);
void zec_stats_node(struct zec_dev *zec, int node, struct zec_port_stats *sum,
		    u64 *tx_drop_no_port);
void zec_stats_get64(struct net_device *dev, struct rtnl_link_stats64 *stats);
void zec_stats_retire(struct zec_port *port);

/*
 * notify.c: the notifications of the monitor group of family zec and of
 * rtnetlink, the only netlink the rest of the module calls. Under RTNL;
 * each of the monitor group bumps the device's generation.
 */
void zec_ntf_port_added(struct zec_port *port);
void zec_ntf_port_removed(struct zec_port *port);
void zec_ntf_port_state(struct zec_port *port, enum zec_reason reason);
void zec_ntf_failover(struct zec_dev *zec, int node,
		      const struct zec_route *old, const struct zec_route *new,
		      enum zec_reason reason, u64 timestamp_ns);
void zec_ntf_dev_change(struct zec_dev *zec);
void zec_ntf_info_data(struct zec_dev *zec);
void zec_ntf_rx_port(struct zec_dev *zec, const struct zec_port *from,
		     const struct zec_port *to, enum zec_reason reason,
		     u64 timestamp_ns);
unsigned int zec_ntf_seq(void);

/* ethtool.c */
extern const struct ethtool_ops zec_ethtool_ops;

#endif
