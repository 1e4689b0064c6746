// SPDX-License-Identifier: GPL-2.0-only
/*
 * Announce zec0's addresses on a port that has just taken over traffic:
 * gratuitous ARP for IPv4 and unsolicited neighbour advertisements for
 * IPv6, so that switches and neighbours learn the new path at once; and
 * the RARP frames that announce other source MACs (announce.c). The
 * health probes (probe.c) send their requests with the same builders.
 */

#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/if_inet6.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "zec.h"

/*
 * Control frames: in the port's qdisc they go ahead of the data that may
 * fill it, or a health probe would be lost exactly under full load.
 */
static void zec_send_control(struct sk_buff *skb)
{
	skb->priority = TC_PRIO_CONTROL;
	dev_queue_xmit(skb);
}

/* From zec0's MAC address, out of @port alone, to the broadcast address. */
void zec_send_arp_request(struct zec_port *port, __be32 src, __be32 dst)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, dst, port->dev, src, NULL,
			 port->zec->dev->dev_addr, NULL);
	if (skb)
		zec_send_control(skb);
}

/*
 * What QEMU's announce-self sends for a guest: a RARP request from @mac,
 * to everyone, out of @port alone. It moves @mac in the switches' tables
 * without naming an IP address.
 */
bool zec_send_rarp(struct zec_port *port, const u8 *mac)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_RREQUEST, ETH_P_RARP, 0, port->dev, 0, NULL,
			 mac, mac);
	if (!skb)
		return false;
	zec_send_control(skb);
	return true;
}

/*
 * A frame from @mac to @mac, out of @port alone, on VLAN @vid (0:
 * untagged): the switch learns @mac behind the port it came in by, and
 * then, @mac being behind that same port, forwards it nowhere. bonding's
 * tlb mode sends the same learning packets.
 */
void zec_send_learning(struct zec_port *port, const u8 *mac,
		       __be16 vlan_proto, u16 vid)
{
	struct ethhdr *eth;
	struct sk_buff *skb;

	skb = dev_alloc_skb(ETH_ZLEN);
	if (!skb)
		return;
	eth = skb_put_zero(skb, ETH_ZLEN);
	ether_addr_copy(eth->h_dest, mac);
	ether_addr_copy(eth->h_source, mac);
	eth->h_proto = htons(ETH_P_LOOPBACK);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth->h_proto;
	skb->dev = port->dev;
	if (vid)
		__vlan_hwaccel_put_tag(skb, vlan_proto, vid);
	zec_send_control(skb);
}

static bool zec_is_router(struct net_device *dev)
{
	struct inet6_dev *idev;
	bool router;

	rcu_read_lock();
	idev = __in6_dev_get(dev);
	router = idev && READ_ONCE(idev->cnf.forwarding);
	rcu_read_unlock();
	return router;
}

/*
 * A neighbour solicitation or advertisement about @target, from zec0's MAC
 * address, out of @port alone. @daddr is multicast (all nodes, or the
 * solicited-node group of @target); the link-layer option carries zec0's
 * MAC address, and an advertisement overrides what neighbours knew.
 */
void zec_send_ndisc(struct zec_port *port, u8 type,
		    const struct in6_addr *saddr, const struct in6_addr *daddr,
		    const struct in6_addr *target)
{
	struct net_device *dev = port->zec->dev;
	struct net_device *pdev = port->dev;
	int icmp_len = sizeof(struct nd_msg) + ndisc_opt_addr_space(dev, 0);
	u8 dst_mac[ETH_ALEN];
	struct sk_buff *skb;
	struct ipv6hdr *ip6h;
	struct nd_msg *msg;
	u8 *opt;

	skb = alloc_skb(LL_RESERVED_SPACE(pdev) + sizeof(*ip6h) + icmp_len +
			pdev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_RESERVED_SPACE(pdev));
	skb_reset_network_header(skb);
	ip6h = skb_put(skb, sizeof(*ip6h));
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(icmp_len);
	ip6h->nexthdr = IPPROTO_ICMPV6;
	ip6h->hop_limit = 255;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;

	msg = skb_put_zero(skb, icmp_len);
	msg->icmph.icmp6_type = type;
	msg->target = *target;
	opt = msg->opt;
	if (type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
		msg->icmph.icmp6_override = 1;
		msg->icmph.icmp6_router = zec_is_router(dev);
		opt[0] = ND_OPT_TARGET_LL_ADDR;
	} else {
		opt[0] = ND_OPT_SOURCE_LL_ADDR;
	}
	opt[1] = (icmp_len - sizeof(struct nd_msg)) >> 3;
	memcpy(opt + 2, dev->dev_addr, ETH_ALEN);
	msg->icmph.icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						 icmp_len, IPPROTO_ICMPV6,
						 csum_partial(msg, icmp_len, 0));

	skb->dev = pdev;
	skb->protocol = htons(ETH_P_IPV6);
	ipv6_eth_mc_map(daddr, dst_mac);
	if (dev_hard_header(skb, pdev, ETH_P_IPV6, dst_mac, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	zec_send_control(skb);
}

static void zec_announce_once(struct zec_port *port)
{
	static const struct in6_addr all_nodes = IN6ADDR_LINKLOCAL_ALLNODES_INIT;
	struct net_device *dev = port->zec->dev;
	struct inet6_ifaddr *ifa6;
	struct in_device *in_dev;
	struct inet6_dev *idev;
	struct in_ifaddr *ifa;

	in_dev = __in_dev_get_rtnl(dev);
	if (in_dev)
		in_dev_for_each_ifa_rtnl(ifa, in_dev)
			zec_send_arp_request(port, ifa->ifa_local,
					     ifa->ifa_local);

	idev = __in6_dev_get(dev);
	if (!idev)
		return;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifa6, &idev->addr_list, if_list)
		if (!(ifa6->flags & IFA_F_TENTATIVE))
			zec_send_ndisc(port, NDISC_NEIGHBOUR_ADVERTISEMENT,
				       &ifa6->addr, &all_nodes, &ifa6->addr);
	read_unlock_bh(&idev->lock);
}

void zec_notify_peers(struct zec_dev *zec, struct zec_port *port)
{
	unsigned int i;

	ASSERT_RTNL();
	if (!netif_running(zec->dev))
		return;
	for (i = 0; i < zec->garp_count; i++)
		zec_announce_once(port);
}
