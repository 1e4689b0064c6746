// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit fast path: send through a healthy port on the node of the
 * CPU that submits the packet. RCU only; per-CPU counters; no allocation.
 * The port choice also places the XDP frames redirected into zec0 (xdp.c).
 */

#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/topology.h>
#include <net/flow_dissector.h>
#include <net/ndisc.h>
#include <net/xdp.h>

#include "zec.h"

/* An XDP frame's flow hash, from the keys skb_get_hash() hashes. */
static u32 zec_frame_hash(const struct net_device *dev,
			  const struct xdp_frame *xdpf)
{
	const struct ethhdr *eth = xdpf->data;
	struct flow_keys keys;

	if (unlikely(xdpf->len < ETH_HLEN))
		return 0;
	memset(&keys, 0, sizeof(keys));
	__skb_flow_dissect(dev_net(dev), NULL, &flow_keys_dissector, &keys,
			   xdpf->data, eth->h_proto, ETH_HLEN, xdpf->len,
			   FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL);
	return flow_hash_from_keys(&keys);
}

/*
 * The port choice reads a packet as an skb, or (@xdpf not NULL) as an XDP
 * frame. Its helpers are inlined into both callers, so that the skb
 * path, which passes NULL, keeps none of the frame's code.
 */
static __always_inline u32 zec_pkt_hash(const struct zec_dev *zec,
					struct sk_buff *skb,
					const struct xdp_frame *xdpf)
{
	if (xdpf)
		return zec_frame_hash(zec->dev, xdpf);
	return skb_get_hash(skb);
}

/* The packet's Ethernet header, or NULL when it is too short for one. */
static __always_inline const struct ethhdr *
zec_pkt_eth(const struct sk_buff *skb, const struct xdp_frame *xdpf)
{
	if (xdpf)
		return xdpf->len < ETH_HLEN ? NULL : xdpf->data;
	return skb_headlen(skb) < ETH_HLEN ? NULL :
	       (const struct ethhdr *)skb->data;
}

/*
 * Use the first tier whose ports can send: hash over it in lag mode, take
 * its first port in independent mode. A flow whose port lost carrier moves
 * to the next port of the same tier, so the other flows keep their ports.
 */
static __always_inline const struct zec_route_entry *
zec_route_pick(const struct zec_dev *zec, const struct zec_route *route,
	       struct sk_buff *skb, const struct xdp_frame *xdpf)
{
	unsigned int start = 0, end, width, first, i;

	while (start < route->count) {
		end = route->entries[start].tier_end;
		width = end - start;
		/* The flow hash is only worth computing when there is a choice. */
		first = width == 1 || !route->spread ? 0 :
			reciprocal_scale(zec_pkt_hash(zec, skb, xdpf), width);
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

/* @n packets dropped for want of a port that can send them. */
void zec_count_no_port(struct zec_dev *zec, unsigned int n)
{
	struct zec_dev_pcpu_stats *stats = this_cpu_ptr(zec->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_add(&stats->tx_drop_no_port, n);
	u64_stats_update_end(&stats->syncp);
}

/* The receive port while it can send, and whether it is on this node. */
static __always_inline struct zec_port *
zec_rx_port_pick(const struct zec_table *table, bool *local)
{
	if (!table->rx_port || !zec_port_can_send(table->rx_port))
		return NULL;
	*local = table->rx_port_node == numa_node_id();
	return table->rx_port;
}

/* @len bytes at @off in the packet, or NULL where it is shorter. */
static __always_inline const void *
zec_pkt_header(const struct sk_buff *skb, const struct xdp_frame *xdpf,
	       unsigned int off, unsigned int len, void *buf)
{
	if (xdpf)
		return off + len <= xdpf->len ? xdpf->data + off : NULL;
	return skb_header_pointer(skb, off, len, buf);
}

/*
 * Whether the packet is ARP or an IPv6 neighbour solicitation or
 * advertisement, under one VLAN tag at most: they carry a link-layer
 * address, and switches that inspect them (ARP inspection, ND
 * inspection) drop those whose address is not the frame's source.
 */
static __always_inline bool zec_pkt_is_nd(const struct sk_buff *skb,
					  const struct xdp_frame *xdpf,
					  const struct ethhdr *eth)
{
	const struct icmp6hdr *icmp6;
	const struct ipv6hdr *ip6;
	const struct vlan_hdr *vh;
	__be16 proto = eth->h_proto;
	unsigned int off = ETH_HLEN;
	struct icmp6hdr _icmp6;
	struct ipv6hdr _ip6;
	struct vlan_hdr _vh;

	if (eth_type_vlan(proto)) {
		vh = zec_pkt_header(skb, xdpf, off, sizeof(_vh), &_vh);
		if (!vh)
			return false;
		proto = vh->h_vlan_encapsulated_proto;
		off += VLAN_HLEN;
	}
	if (proto == htons(ETH_P_ARP))
		return true;
	if (proto != htons(ETH_P_IPV6))
		return false;
	ip6 = zec_pkt_header(skb, xdpf, off, sizeof(_ip6), &_ip6);
	if (!ip6 || ip6->nexthdr != IPPROTO_ICMPV6)
		return false;
	icmp6 = zec_pkt_header(skb, xdpf, off + sizeof(_ip6), sizeof(_icmp6),
			       &_icmp6);
	return icmp6 &&
	       (icmp6->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION ||
		icmp6->icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT);
}

/*
 * Write @e's source MAC over zec0's in the packet. An skb whose header
 * is shared (a tap such as tcpdump holds a clone) gets its own copy of
 * it first. Returns false where @e has no source MAC or the copy failed.
 */
static __always_inline bool zec_pkt_own_src(const struct zec_table *table,
					    const struct zec_route_entry *e,
					    struct sk_buff *skb,
					    struct xdp_frame *xdpf)
{
	struct ethhdr *eth;

	if (unlikely(e->own_src == ZEC_NO_OWN_SRC))
		return false;
	if (xdpf) {
		eth = xdpf->data;
	} else {
		if (unlikely(skb_cow_head(skb, 0)))
			return false;
		eth = (struct ethhdr *)skb->data;
	}
	ether_addr_copy(eth->h_source, table->own_srcs[e->own_src]);
	return true;
}

/* The entry of this CPU's node's route for the packet, and its locality. */
static __always_inline const struct zec_route_entry *
zec_pick_route(const struct zec_dev *zec, const struct zec_table *table,
	       struct sk_buff *skb, const struct xdp_frame *xdpf, bool *local)
{
	const struct zec_route_entry *e;

	e = zec_route_pick(zec, &table->routes[numa_node_id()], skb, xdpf);
	if (e)
		*local = e->local;
	return e;
}

/*
 * Independent mode: remember which node sent from the frame's source MAC,
 * unless it is zec0's. The fabric must see zec0's MAC behind the receive
 * port alone, so zec0's broadcast, multicast, ARP and neighbour discovery
 * leave by that port while it can send; its other frames follow their
 * node's route, with their source rewritten where that is another port.
 */
static __always_inline struct zec_port *
zec_pick_independent(struct zec_dev *zec, const struct zec_table *table,
		     struct sk_buff *skb, struct xdp_frame *xdpf, bool *local)
{
	const struct ethhdr *eth = zec_pkt_eth(skb, xdpf);
	const struct zec_route_entry *e;
	struct zec_port *port;
	struct zec_macs *macs;
	bool own;

	own = eth && ether_addr_equal(eth->h_source, zec->dev->dev_addr);
	if (own && (is_multicast_ether_addr(eth->h_dest) ||
		    zec_pkt_is_nd(skb, xdpf, eth))) {
		port = zec_rx_port_pick(table, local);
		if (port)
			return port;
		/* Its carrier went before the table was rebuilt. */
		own = false;
	} else if (!own && eth) {
		macs = rcu_dereference_bh(zec->macs);
		if (macs && !is_multicast_ether_addr(eth->h_source))
			zec_macs_learn(macs, eth->h_source, numa_node_id());
	}
	e = zec_pick_route(zec, table, skb, xdpf, local);
	if (!e)
		return NULL;
	if (!own || e->port == table->rx_port ||
	    zec_pkt_own_src(table, e, skb, xdpf))
		return e->port;
	return zec_rx_port_pick(table, local);
}

/*
 * The port this CPU's node sends a packet through now (@skb, or @xdpf
 * when not NULL), and whether it is on this node. Transmit runs with BH
 * off (or, for netpoll, interrupts off), and so does ndo_xdp_xmit (from
 * NAPI), so this CPU and its node stay put.
 */
static __always_inline struct zec_port *
zec_pick_port(struct zec_dev *zec, struct sk_buff *skb,
	      struct xdp_frame *xdpf, bool *local)
{
	const struct zec_route_entry *e;
	const struct zec_table *table;

	table = rcu_dereference_check(zec->table, rcu_read_lock_bh_held());
	if (unlikely(!table))
		return NULL;
	if (table->independent)
		return zec_pick_independent(zec, table, skb, xdpf, local);
	e = zec_pick_route(zec, table, skb, xdpf, local);
	return e ? e->port : NULL;
}

/* zec_pick_port() for an XDP frame redirected into zec0 (xdp.c). */
struct zec_port *zec_xmit_frame_port(struct zec_dev *zec,
				     struct xdp_frame *xdpf, bool *local)
{
	return zec_pick_port(zec, NULL, xdpf, local);
}

/*
 * Each CPU its own transmit queue (zec0 has one per CPU id unless the
 * user asked for another number): with no qdisc, nothing; with one per
 * queue (mq and its children), no qdisc lock is shared by CPUs that have
 * a queue each. AF_PACKET's qdisc bypass (packet_pick_tx_queue()) calls
 * this preemptible: the CPU is a hint that may be stale by the time the
 * packet is queued, which costs nothing but a shared lock.
 */
u16 zec_select_queue(struct net_device *dev, struct sk_buff *skb,
		     struct net_device *sb_dev)
{
	unsigned int cpu = raw_smp_processor_id();
	unsigned int n = dev->real_num_tx_queues;

	return cpu < n ? cpu : cpu % n;
}

netdev_tx_t zec_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	const struct zec_rate *rate;
	struct zec_port *port;
	bool local;

	/*
	 * skb->queue_mapping holds zec0's own queue (zec_select_queue()),
	 * which means nothing to the port, but its dev_queue_xmit() would
	 * take it for a recorded receive queue (skb_tx_hash()) and put every
	 * flow of a CPU on one of its queues. bonding and team put back a
	 * mapping saved from above them; zec0's is only its own index, so
	 * the port picks its queue afresh (XPS, the flow hash).
	 */
	skb_set_queue_mapping(skb, 0);
	port = zec_pick_port(zec, skb, NULL, &local);
	if (unlikely(!port)) {
		zec_count_no_port(zec, 1);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(netpoll_tx_running(dev))) {
		zec_netpoll_send(port, skb, local);
		return NETDEV_TX_OK;
	}

	rate = rcu_dereference_bh(port->rate);
	if (rate && zec_rate_check(port, rate, skb, local) != ZEC_RATE_PASS)
		return NETDEV_TX_OK;
	zec_port_send(port, skb, local);
	return NETDEV_TX_OK;
}
