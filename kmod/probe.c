// SPDX-License-Identifier: GPL-2.0-only
/*
 * Health probes: a dead or partitioned switch often leaves the carrier up.
 * Every interval, each port asks every target for its MAC address (ARP
 * request, neighbour solicitation) on its own; a port whose targets stop
 * answering on it goes down, like one whose carrier drops, and comes back
 * when they answer again. Flap damping holds down a port that goes down
 * too often, whatever took it down.
 *
 * The receive handler only notes when a valid reply came (no lock); the
 * probe work counts misses and sends under RCU, and takes RTNL, with
 * rtnl_trylock() as the up delay does, only when a verdict changes. A
 * verdict that finds RTNL busy is retried at the next tick, not dropped.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/route.h>

#include "zec.h"

/*
 * A target must be another host: one of our own addresses, or a subnet
 * broadcast, never answers, and every port would go down.
 */
bool zec_probe_target4_ok(struct net_device *dev, __be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_loopback(addr) &&
	       !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr) &&
	       inet_addr_type_dev_table(dev_net(dev), dev, addr) == RTN_UNICAST;
}

bool zec_probe_target6_ok(struct net_device *dev, const struct in6_addr *addr)
{
	return !ipv6_addr_any(addr) && !ipv6_addr_loopback(addr) &&
	       !ipv6_addr_is_multicast(addr) &&
	       !ipv6_addr_v4mapped(addr) &&
	       !ipv6_chk_addr(dev_net(dev), addr, NULL, 0);
}

/*
 * An ARP reply from a target to the address and MAC address our request
 * to that target came from. @skb->data is the network header.
 */
static bool zec_probe_arp_reply(const struct zec_probe *probe,
				const struct sk_buff *skb, const u8 *our_mac)
{
	struct {
		struct arphdr hdr;
		u8 sha[ETH_ALEN];
		__be32 sip;
		u8 tha[ETH_ALEN];
		__be32 tip;
	} __packed _arp;
	const typeof(_arp) *arp;
	unsigned int i;

	arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
	if (!arp || arp->hdr.ar_op != htons(ARPOP_REPLY) ||
	    arp->hdr.ar_hrd != htons(ARPHRD_ETHER) ||
	    arp->hdr.ar_pro != htons(ETH_P_IP) ||
	    arp->hdr.ar_hln != ETH_ALEN || arp->hdr.ar_pln != 4 ||
	    !ether_addr_equal_unaligned(arp->tha, our_mac))
		return false;
	for (i = 0; i < probe->nr_ipv4; i++)
		if (probe->ipv4[i] == arp->sip)
			return arp->tip == READ_ONCE(probe->ipv4_source[i]);
	return false;
}

/* A solicited neighbour advertisement of a target, sent to our MAC. */
static bool zec_probe_na(const struct zec_probe *probe,
			 const struct sk_buff *skb)
{
	struct {
		struct icmp6hdr icmph;
		struct in6_addr target;
	} _na;
	const typeof(_na) *na;
	struct ipv6hdr _ip6;
	const struct ipv6hdr *ip6;
	unsigned int i;

	if (skb->pkt_type != PACKET_HOST)
		return false;
	ip6 = skb_header_pointer(skb, 0, sizeof(_ip6), &_ip6);
	if (!ip6 || ip6->nexthdr != IPPROTO_ICMPV6 || ip6->hop_limit != 255)
		return false;
	na = skb_header_pointer(skb, sizeof(*ip6), sizeof(_na), &_na);
	if (!na || na->icmph.icmp6_type != NDISC_NEIGHBOUR_ADVERTISEMENT ||
	    na->icmph.icmp6_code || !na->icmph.icmp6_solicited)
		return false;
	for (i = 0; i < probe->nr_ipv6; i++)
		if (ipv6_addr_equal(&probe->ipv6[i], &na->target))
			return true;
	return false;
}

/* Receive path, only while probing: note a reply that counts for @port. */
void zec_probe_rx(struct zec_port *port, const struct zec_probe *probe,
		  const struct sk_buff *skb)
{
	bool reply;

	if (skb->protocol == htons(ETH_P_ARP))
		reply = probe->nr_ipv4 &&
			zec_probe_arp_reply(probe, skb, port->zec->dev->dev_addr);
	else if (skb->protocol == htons(ETH_P_IPV6))
		reply = probe->nr_ipv6 && zec_probe_na(probe, skb);
	else
		return;
	if (reply) {
		atomic64_set(&port->probe_reply_ns, ktime_get_ns());
		atomic64_inc(&port->probe_replies);
	}
}

/*
 * zec0's address to solicit @target from: one of the same scope (link-local
 * or not) if it has one, else any; never tentative. False if none.
 */
static bool zec_probe_ipv6_source(struct net_device *dev,
				  const struct in6_addr *target,
				  struct in6_addr *saddr)
{
	bool want_ll = ipv6_addr_type(target) & IPV6_ADDR_LINKLOCAL;
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;
	bool found = false;

	idev = __in6_dev_get(dev);
	if (!idev)
		return false;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifa, &idev->addr_list, if_list) {
		bool ll = ipv6_addr_type(&ifa->addr) & IPV6_ADDR_LINKLOCAL;

		if (ifa->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
			continue;
		if (!found || ll == want_ll)
			*saddr = ifa->addr;
		found = true;
		if (ll == want_ll)
			break;
	}
	read_unlock_bh(&idev->lock);
	return found;
}

static __be32 zec_probe_ipv4_source(struct net_device *dev, __be32 target)
{
	return inet_select_addr(dev, target, RT_SCOPE_LINK);
}

/*
 * Round @round_ns on a port that can send: a request to every target that
 * zec0 has a source address for. Returns how many were sent.
 */
static unsigned int zec_probe_send(struct zec_port *port,
				   struct zec_probe *probe, u64 round_ns)
{
	struct net_device *dev = port->zec->dev;
	struct in6_addr saddr, mcaddr;
	unsigned int i, sent = 0;
	__be32 src;

	for (i = 0; i < probe->nr_ipv4; i++) {
		src = zec_probe_ipv4_source(dev, probe->ipv4[i]);
		WRITE_ONCE(probe->ipv4_source[i], src);
		if (!src)
			continue;
		zec_send_arp_request(port, src, probe->ipv4[i]);
		sent++;
	}
	for (i = 0; i < probe->nr_ipv6; i++) {
		if (!zec_probe_ipv6_source(dev, &probe->ipv6[i], &saddr))
			continue;
		addrconf_addr_solict_mult(&probe->ipv6[i], &mcaddr);
		zec_send_ndisc(port, NDISC_NEIGHBOUR_SOLICITATION, &saddr,
			       &mcaddr, &probe->ipv6[i]);
		sent++;
	}
	WRITE_ONCE(port->probes_sent, port->probes_sent + sent);
	if (sent)
		port->probe_round_ns = round_ns;
	return sent;
}

/* Whether the probes say the port should be down now. */
static bool zec_probe_verdict(const struct zec_port *port,
			      const struct zec_probe *probe)
{
	if (READ_ONCE(port->probe_down))
		return READ_ONCE(port->probe_good) < probe->recover_count;
	return READ_ONCE(port->probe_misses) >= probe->miss_count;
}

static bool zec_damp_expired(const struct zec_port *port)
{
	return READ_ONCE(port->damped) &&
	       time_after_eq(jiffies, READ_ONCE(port->damp_until));
}

/*
 * The interval since the round sent at @round_ns: was there a reply? A
 * port that does not answer for that round (it was not a port yet, or
 * zec0 had no source address for any target) is not judged on it: its
 * counts stand. Counting misses without a source would take every port
 * down for good where the address can only come back through zec0 (IPv6
 * DAD, DHCP). A port without a link answers for its rounds: it misses.
 */
static void zec_probe_account(struct zec_port *port, u64 round_ns)
{
	if (port->probe_round_ns != round_ns)
		return;
	if (atomic64_read(&port->probe_reply_ns) >= round_ns) {
		WRITE_ONCE(port->probe_misses, 0);
		if (port->probe_good < ZEC_PROBE_COUNT_MAX)
			WRITE_ONCE(port->probe_good, port->probe_good + 1);
	} else {
		WRITE_ONCE(port->probe_good, 0);
		if (port->probe_misses < U32_MAX)
			WRITE_ONCE(port->probe_misses, port->probe_misses + 1);
	}
}

/*
 * Count a port going from usable to not: more than damp_count times within
 * the window and it is held down for the hold time. Under RTNL.
 */
void zec_probe_note_down(struct zec_port *port)
{
	const struct zec_probe *probe = rtnl_dereference(port->zec->probe);
	unsigned int slots;
	unsigned long now = jiffies, oldest;

	if (!probe || !probe->damp_count || port->damped)
		return;
	slots = probe->damp_count + 1;
	port->downs[port->downs_next] = now;
	port->downs_next = (port->downs_next + 1) % slots;
	if (port->downs_seen < slots)
		port->downs_seen++;
	oldest = port->downs[port->downs_next];
	if (port->downs_seen < slots ||
	    time_after(now, oldest + msecs_to_jiffies(probe->damp_window_ms)))
		return;
	port->damped = true;
	WRITE_ONCE(port->damp_until,
		   now + msecs_to_jiffies(probe->damp_hold_ms));
	port->damp_holds++;
	port->downs_seen = 0;
	netdev_info(port->zec->dev, "port %s went down %u times in %u ms: held down for %u ms\n",
		    port->dev->name, slots, probe->damp_window_ms,
		    probe->damp_hold_ms);
	zec_ntf_port_state(port, ZEC_REASON_DAMPED);
}

/* Apply the verdicts and the ends of holds. Under RTNL. */
static void zec_probe_commit(struct zec_dev *zec,
			     const struct zec_probe *probe)
{
	struct zec_port *port;
	bool changed = false, down, was_usable;

	list_for_each_entry(port, &zec->ports, list) {
		if (zec_damp_expired(port)) {
			WRITE_ONCE(port->damped, false);
			zec_ntf_port_state(port, ZEC_REASON_DAMPED);
			changed = true;
		}
		down = zec_probe_verdict(port, probe);
		if (down == port->probe_down)
			continue;
		was_usable = zec_port_usable(port);
		WRITE_ONCE(port->probe_down, down);
		if (down)
			port->probe_downs++;
		zec_ntf_port_state(port, ZEC_REASON_PROBE);
		if (was_usable && down)
			zec_probe_note_down(port);
		changed = true;
	}
	if (changed)
		zec_ports_changed(zec, ZEC_REASON_PROBE);
}

static bool zec_port_can_probe(const struct zec_port *port)
{
	return !READ_ONCE(port->releasing) && netif_running(port->dev) &&
	       netif_carrier_ok(port->dev);
}

/* @port's part of the round at @now. */
static void zec_probe_port(struct zec_port *port, struct zec_probe *probe,
			   u64 now, bool *could_send, bool *sent)
{
	if (zec_port_can_probe(port)) {
		*could_send = true;
		*sent |= zec_probe_send(port, probe, now) != 0;
	} else {
		port->probe_round_ns = now;
	}
}

/* Count the interval since the last round, then send the next. Under RCU. */
static void zec_probe_round(struct zec_dev *zec, struct zec_probe *probe)
{
	u64 now = ktime_get_ns(), last = zec->probe_round_ns;
	struct zec_port *port, *rx_port;
	bool could_send = false, sent = false;
	const struct zec_table *table;

	if (last)
		list_for_each_entry_rcu(port, &zec->ports, list)
			zec_probe_account(port, last);
	/* A zec0 that is down sends nothing; it starts afresh when up. */
	if (!netif_running(zec->dev)) {
		zec->probe_round_ns = 0;
		return;
	}
	zec->probe_round_ns = now;
	/*
	 * Probes leave from zec0's MAC, so the fabric has it behind the port
	 * that probed last. In independent mode that must be the receive
	 * port, where zec0's MAC belongs (route.c).
	 */
	table = rcu_dereference(zec->table);
	rx_port = table ? table->rx_port : NULL;
	list_for_each_entry_rcu(port, &zec->ports, list)
		if (port != rx_port)
			zec_probe_port(port, probe, now, &could_send, &sent);
	if (rx_port)
		zec_probe_port(rx_port, probe, now, &could_send, &sent);
	/* zec0 has no address for any target yet (boot, DHCP, IPv6 DAD). */
	if (could_send && !sent)
		WRITE_ONCE(probe->rounds_no_source,
			   probe->rounds_no_source + 1);
}

static void zec_probe_work(struct work_struct *work)
{
	struct zec_dev *zec = container_of(to_delayed_work(work),
					   struct zec_dev, probe_work);
	struct zec_probe *probe;
	struct zec_port *port;
	bool commit = false;
	unsigned long delay;

	rcu_read_lock();
	probe = rcu_dereference(zec->probe);
	if (!probe) {
		rcu_read_unlock();
		return;
	}
	/*
	 * While a verdict waits for RTNL, no round runs: its counts would
	 * move on, and a reply could turn the verdict back before anyone
	 * saw it. The verdicts derive from the counts, so they stand.
	 */
	if (!zec->probe_commit_pending)
		zec_probe_round(zec, probe);
	list_for_each_entry_rcu(port, &zec->ports, list)
		commit |= zec_probe_verdict(port, probe) !=
			  READ_ONCE(port->probe_down) || zec_damp_expired(port);
	delay = msecs_to_jiffies(probe->interval_ms);
	rcu_read_unlock();

	/* RTNL busy: try again at the next tick, as bonding's monitors do. */
	zec->probe_commit_pending = commit && !rtnl_trylock();
	if (zec->probe_commit_pending) {
		delay = 1;
	} else if (commit) {
		probe = rtnl_dereference(zec->probe);
		if (probe)
			zec_probe_commit(zec, probe);
		rtnl_unlock();
	}
	queue_delayed_work(system_highpri_wq, &zec->probe_work, delay);
}

void zec_probe_init(struct zec_dev *zec)
{
	INIT_DELAYED_WORK(&zec->probe_work, zec_probe_work);
}

/*
 * Probes are taken without a source address: at boot zec0 is often
 * configured before its address comes (DHCP, IPv6 DAD). Rounds without
 * one send nothing and judge no port (zec_probe_account); say so now.
 */
static void zec_probe_warn_sources(struct zec_dev *zec,
				   const struct zec_probe *probe,
				   struct netlink_ext_ack *extack)
{
	struct in6_addr saddr;
	unsigned int i;

	for (i = 0; i < probe->nr_ipv4; i++) {
		if (!zec_probe_ipv4_source(zec->dev, probe->ipv4[i])) {
			NL_SET_ERR_MSG(extack,
				       "The zec device has no IPv4 address to send ARP probes from yet: they start once it has one");
			return;
		}
	}
	for (i = 0; i < probe->nr_ipv6; i++) {
		if (!zec_probe_ipv6_source(zec->dev, &probe->ipv6[i], &saddr)) {
			NL_SET_ERR_MSG(extack,
				       "The zec device has no usable IPv6 address to send neighbour solicitations from yet: they start once it has one");
			return;
		}
	}
}

/* Stop the work and forget the configuration; ports keep their state. */
static struct zec_probe *zec_probe_stop(struct zec_dev *zec)
{
	struct zec_probe *old = rtnl_dereference(zec->probe);

	ASSERT_RTNL();
	/* The work never waits for RTNL: safe to wait for it under RTNL. */
	cancel_delayed_work_sync(&zec->probe_work);
	RCU_INIT_POINTER(zec->probe, NULL);
	return old;
}

/* Counts start afresh with a new configuration; verdicts stay. */
static void zec_probe_reset_counts(struct zec_port *port)
{
	WRITE_ONCE(port->probe_misses, 0);
	WRITE_ONCE(port->probe_good, 0);
	port->downs_seen = 0;
	port->downs_next = 0;
}

/* Takes @probe over. */
void zec_probe_set(struct zec_dev *zec, struct zec_probe *probe,
		   struct netlink_ext_ack *extack)
{
	struct zec_probe *old;
	struct zec_port *port;

	zec_probe_warn_sources(zec, probe, extack);
	old = zec_probe_stop(zec);
	list_for_each_entry(port, &zec->ports, list)
		zec_probe_reset_counts(port);
	zec->probe_round_ns = 0;
	zec->probe_commit_pending = false;
	rcu_assign_pointer(zec->probe, probe);
	if (old)
		kfree_rcu(old, rcu);
	queue_delayed_work(system_highpri_wq, &zec->probe_work, 0);
	zec_ntf_dev_change(zec);
}

int zec_probe_del(struct zec_dev *zec, struct netlink_ext_ack *extack)
{
	struct zec_probe *old = zec_probe_stop(zec);
	struct zec_port *port;
	bool changed = false;

	if (!old) {
		NL_SET_ERR_MSG(extack, "The zec device is not probing");
		return -ENOENT;
	}
	kfree_rcu(old, rcu);
	list_for_each_entry(port, &zec->ports, list) {
		zec_probe_reset_counts(port);
		if (!port->probe_down && !port->damped)
			continue;
		WRITE_ONCE(port->probe_down, false);
		WRITE_ONCE(port->damped, false);
		zec_ntf_port_state(port, ZEC_REASON_PROBE);
		changed = true;
	}
	zec_ntf_dev_change(zec);
	if (changed)
		zec_ports_changed(zec, ZEC_REASON_PROBE);
	return 0;
}

/* The device is going away: its ports go with it. */
void zec_probe_teardown(struct zec_dev *zec)
{
	struct zec_probe *old = zec_probe_stop(zec);

	if (old)
		kfree_rcu(old, rcu);
}
