// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports: joining and leaving a zec device, their NUMA node, their health,
 * what zec0 can offer of what they do, and the receive handler that hands
 * their frames to the zec device.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "zec.h"

/*
 * A stacked device usually offers an offload when any lower device has it
 * (netdev_increment_features()) and lets the others fall back in software.
 * zec0 offers checksum, scatter-gather and segmentation offloads only
 * where every port has them, in each of its feature sets: the stack then
 * does the work before zec0 on the submitting CPU, and what zec0 shows is
 * what every port does.
 */
#define ZEC_PORT_OFFLOADS	(NETIF_F_CSUM_MASK | NETIF_F_SG | \
				 NETIF_F_FRAGLIST | NETIF_F_GSO_MASK)

/*
 * @all less the offloads a port's @one lacks. A port with NETIF_F_HW_CSUM
 * checksums what one with NETIF_F_IP_CSUM does: HW_CSUM and IP_CSUM meet
 * in IP_CSUM, not in nothing.
 */
static netdev_features_t zec_features_meet(netdev_features_t all,
					   netdev_features_t one)
{
	if (all & NETIF_F_HW_CSUM)
		all |= NETIF_F_CSUM_MASK;
	if (one & NETIF_F_HW_CSUM)
		one |= NETIF_F_CSUM_MASK;
	all &= one | ~ZEC_PORT_OFFLOADS;
	if (all & NETIF_F_HW_CSUM)
		all &= ~(NETIF_F_CSUM_MASK & ~NETIF_F_HW_CSUM);
	return all;
}

/* A port's feature sets, for zec_ports_features(). */
static netdev_features_t zec_features_of(const struct net_device *pdev)
{
	return pdev->features;
}

static netdev_features_t zec_vlan_features_of(const struct net_device *pdev)
{
	return pdev->vlan_features;
}

static netdev_features_t zec_enc_features_of(const struct net_device *pdev)
{
	return pdev->hw_enc_features;
}

static netdev_features_t zec_mpls_features_of(const struct net_device *pdev)
{
	return pdev->mpls_features;
}

/*
 * zec0's features of one set (@of: a port's) over its ports, from @all:
 * the bits of @mask a stacked device takes from any lower device
 * (netdev_increment_features()), less the offloads (ZEC_PORT_OFFLOADS) any
 * port lacks.
 */
static netdev_features_t
zec_ports_features(const struct zec_dev *zec, netdev_features_t all,
		   netdev_features_t mask,
		   netdev_features_t (*of)(const struct net_device *pdev))
{
	const struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		all = netdev_increment_features(all, of(port->dev), mask);
	list_for_each_entry(port, &zec->ports, list)
		all = zec_features_meet(all, of(port->dev));
	return all;
}

/* zec0's vlan_features, hw_enc_features or mpls_features: see above. */
static netdev_features_t
zec_ports_inherited(const struct zec_dev *zec, netdev_features_t mask,
		    netdev_features_t (*of)(const struct net_device *pdev))
{
	if (list_empty(&zec->ports))
		return mask;
	return zec_ports_features(zec, mask & NETIF_F_ALL_FOR_ALL, mask, of);
}

/*
 * ndo_fix_features: what the user left on, less what a port lacks
 * (zec_features_meet()), so that turning an offload off on zec0 or on any
 * port turns it off here. Without ports, what the user left on.
 */
netdev_features_t zec_fix_features(struct net_device *dev,
				   netdev_features_t features)
{
	struct zec_dev *zec = netdev_priv(dev);
	netdev_features_t mask = features;

	if (list_empty(&zec->ports))
		return features;
	features &= ~NETIF_F_ONE_FOR_ALL;
	features |= NETIF_F_ALL_FOR_ALL;
	features = netdev_add_tso_features(features, mask);
	return zec_ports_features(zec, features, mask, zec_features_of);
}

/*
 * What zec0 can offer is what every port can do, and the room in front of
 * and behind a frame is what the most demanding port needs: recomputed
 * whenever a port joins, leaves or changes its features (NETDEV_FEAT_CHANGE).
 * The segmentation limits are the smallest of any port's: the driver's
 * (tso_max_size, tso_max_segs) and the operator's (gso_max_size,
 * gso_max_segs, as they were at the last recomputation). Without ports,
 * zec0 offers everything it may and the kernel's default limits: from
 * zec_setup() on, so that a device over a fresh zec0 (a VLAN) starts from
 * those, not from empty vlan, encapsulation and MPLS features. The stack
 * is not told (zec_compute_features() does).
 */
void zec_inherit_features(struct zec_dev *zec)
{
	unsigned int dst_release = IFF_XMIT_DST_RELEASE |
				   IFF_XMIT_DST_RELEASE_PERM;
	netdev_features_t gso_partial_features = 0;
	unsigned short hard_header_len = ETH_HLEN;
	unsigned int gso_max_size = list_empty(&zec->ports) ?
				    GSO_LEGACY_MAX_SIZE : GSO_MAX_SIZE;
	unsigned int gso_max_segs = GSO_MAX_SEGS;
	unsigned short needed_headroom = 0;
	unsigned short needed_tailroom = 0;
	unsigned int tso_max_size = TSO_MAX_SIZE;
	unsigned int min_mtu = ETH_MIN_MTU;
	unsigned int max_mtu = ETH_MAX_MTU;
	u16 tso_max_segs = TSO_MAX_SEGS;
	struct net_device *dev = zec->dev;
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list) {
		struct net_device *pdev = port->dev;

		/*
		 * A segmentation one port does only in part is partial here:
		 * with NETIF_F_GSO_PARTIAL (every port has it) the stack
		 * segments in part before zec0, else it drops them from
		 * zec0's features (netdev_fix_features()).
		 */
		gso_partial_features |= pdev->gso_partial_features;
		dst_release &= pdev->priv_flags;
		hard_header_len = max(hard_header_len, pdev->hard_header_len);
		needed_headroom = max(needed_headroom, pdev->needed_headroom);
		needed_tailroom = max(needed_tailroom, pdev->needed_tailroom);
		gso_max_size = min(gso_max_size, READ_ONCE(pdev->gso_max_size));
		gso_max_segs = min(gso_max_segs, READ_ONCE(pdev->gso_max_segs));
		tso_max_size = min(tso_max_size, pdev->tso_max_size);
		tso_max_segs = min(tso_max_segs, pdev->tso_max_segs);
		min_mtu = max(min_mtu, pdev->min_mtu);
		max_mtu = min(max_mtu, pdev->max_mtu);
	}

	dev->vlan_features =
		zec_ports_inherited(zec, ZEC_VLAN_FEATURES, zec_vlan_features_of);
	dev->hw_enc_features =
		zec_ports_inherited(zec, ZEC_ENC_FEATURES, zec_enc_features_of) |
		NETIF_F_GSO_ENCAP_ALL | NETIF_F_HW_VLAN_CTAG_TX |
		NETIF_F_HW_VLAN_STAG_TX;
	dev->mpls_features =
		zec_ports_inherited(zec, ZEC_MPLS_FEATURES, zec_mpls_features_of);
	dev->gso_partial_features = gso_partial_features & NETIF_F_GSO_MASK;
	dev->hard_header_len = hard_header_len;
	/* So that what is built for zec0 needs no copy at any port. */
	dev->needed_headroom = needed_headroom;
	dev->needed_tailroom = needed_tailroom;
	dev->min_mtu = min_mtu;
	dev->max_mtu = max_mtu;
	/* As the kernel's netif_set_gso_max_*(); the tso limits cap them. */
	WRITE_ONCE(dev->gso_max_size, gso_max_size);
	WRITE_ONCE(dev->gso_max_segs, gso_max_segs);
	netif_set_tso_max_size(dev, tso_max_size);
	netif_set_tso_max_segs(dev, tso_max_segs);
	dev->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	if (dst_release == (IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM))
		dev->priv_flags |= IFF_XMIT_DST_RELEASE;
}

/* At every port change: zec_inherit_features(), and the stack told. */
void zec_compute_features(struct zec_dev *zec)
{
	ASSERT_RTNL();
	zec_inherit_features(zec);
	netdev_change_features(zec->dev);
}

/*
 * Independent mode delivers each frame once: the fabric floods broadcast
 * and multicast to every port, and floods what zec0 sent out of one port
 * back into the others. Returns whether @port's copy of @eth is one too
 * many, counted.
 */
static bool zec_rx_duplicate(struct zec_port *port, const struct ethhdr *eth)
{
	const struct zec_table *table = rcu_dereference(port->zec->table);
	struct zec_port_pcpu_stats *stats = this_cpu_ptr(port->stats);
	struct zec_macs *macs;
	int node;

	if (!table || !table->rx_port)
		return false;
	macs = rcu_dereference(port->zec->macs);
	node = macs ? zec_macs_sender(macs, eth->h_source,
				      msecs_to_jiffies(ZEC_REFLECTION_MS)) :
		      NUMA_NO_NODE;
	if (node != NUMA_NO_NODE && zec_table_head(table, node) != port) {
		zec_port_stats_inc(stats, &stats->rx_reflections);
		return true;
	}
	if (is_multicast_ether_addr(eth->h_dest) && port != table->rx_port) {
		zec_port_stats_inc(stats, &stats->rx_flood_duplicates);
		return true;
	}
	return false;
}

/*
 * zec0's own frames come back when the switches flood them to its other
 * ports (independent switch ports do): the stack would see its own ARP
 * and neighbour advertisements as a duplicate address. In independent
 * mode they may also carry a port's source MAC instead of zec0's (route.c).
 */
static bool zec_rx_own_frame(const struct zec_dev *zec, const u8 *src)
{
	const struct zec_table *table;

	if (ether_addr_equal(src, zec->dev->dev_addr))
		return true;
	table = rcu_dereference(zec->table);
	return table && zec_table_own_src(table, src);
}

static rx_handler_result_t zec_handle_frame(struct sk_buff **pskb)
{
	struct zec_port_pcpu_stats *stats;
	struct sk_buff *skb = *pskb;
	struct zec_probe *probe;
	struct zec_port *port;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	port = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(zec_rx_own_frame(port->zec, eth_hdr(skb)->h_source))) {
		dev_core_stats_rx_dropped_inc(port->zec->dev);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	probe = rcu_dereference(port->zec->probe);
	if (probe)
		zec_probe_rx(port, probe, skb);
	if (zec_rx_duplicate(port, eth_hdr(skb))) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	stats = this_cpu_ptr(port->stats);
	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, skb->len);
	u64_stats_update_end(&stats->syncp);

	skb->dev = port->zec->dev;
	return RX_HANDLER_ANOTHER;
}

struct zec_port *zec_port_get_rtnl(const struct net_device *pdev)
{
	if (rcu_access_pointer(pdev->rx_handler) != zec_handle_frame)
		return NULL;
	return rtnl_dereference(pdev->rx_handler_data);
}

/*
 * A netdev has no node of its own when its parent has none (a virtio
 * netdev's parent is the virtio device); the PCI function further up has.
 */
static int zec_detect_node(struct net_device *pdev)
{
	struct device *d;

	for (d = &pdev->dev; d; d = d->parent)
		if (dev_to_node(d) != NUMA_NO_NODE)
			return dev_to_node(d);
	return NUMA_NO_NODE;
}

/*
 * A node a port may be pinned to. ZEC_NODE_ID_MAX is MAX_NUMNODES - 1 at
 * NODES_SHIFT 10; a kernel built with fewer nodes has a shorter nodemask,
 * which node_possible() would read past.
 */
bool zec_node_valid(u32 node)
{
	return node < nr_node_ids && node_possible(node);
}

/* The operator's node override (NUMA_NO_NODE: detect) and switch. */
void zec_port_configure(struct zec_port *port, int node_override,
			bool enabled)
{
	ASSERT_RTNL();
	if (node_override == port->node_override && enabled == port->enabled)
		return;
	port->node_override = node_override;
	port->enabled = enabled;
	zec_ntf_port_state(port, ZEC_REASON_ADMIN);
	zec_ports_changed(port->zec, ZEC_REASON_ADMIN);
}

/*
 * Follow the port's carrier and admin state. A port that comes back waits
 * for up_delay_ms before it carries traffic again, so that a flapping
 * cable does not drag the flows of its node back and forth; a port that
 * joins is used at once.
 */
static void zec_port_update_link(struct zec_port *port, bool joining)
{
	struct net_device *pdev = port->dev;
	struct zec_dev *zec = port->zec;
	enum zec_port_link link;
	bool was_usable;

	if (!netif_running(pdev) || !netif_carrier_ok(pdev)) {
		cancel_delayed_work(&port->up_delay_work);
		link = ZEC_PORT_LINK_DOWN;
	} else if (port->link != ZEC_PORT_LINK_DOWN) {
		return;
	} else if (zec->up_delay_ms && !joining) {
		/* Re-armed in full even if a retry of the work is pending. */
		mod_delayed_work(system_wq, &port->up_delay_work,
				 msecs_to_jiffies(zec->up_delay_ms));
		link = ZEC_PORT_LINK_UP_DELAYED;
	} else {
		link = ZEC_PORT_LINK_UP;
	}

	if (!joining && link == port->link)
		return;
	was_usable = zec_port_usable(port);
	port->link = link;
	if (joining)
		zec_ntf_port_added(port);
	else
		zec_ntf_port_state(port, ZEC_REASON_CARRIER);
	if (was_usable && !zec_port_usable(port))
		zec_probe_note_down(port);
	zec_ports_changed(zec, joining ? ZEC_REASON_ADDED : ZEC_REASON_CARRIER);
}

static void zec_port_up_delay_expired(struct work_struct *work)
{
	struct zec_port *port = container_of(to_delayed_work(work),
					     struct zec_port, up_delay_work);

	/* Releasing a port cancels this work under RTNL: never block on it. */
	if (!rtnl_trylock()) {
		schedule_delayed_work(&port->up_delay_work, 1);
		return;
	}
	if (port->link == ZEC_PORT_LINK_UP_DELAYED) {
		port->link = ZEC_PORT_LINK_UP;
		zec_ntf_port_state(port, ZEC_REASON_CARRIER);
		zec_ports_changed(port->zec, ZEC_REASON_CARRIER);
	}
	rtnl_unlock();
}

static int zec_port_check(struct zec_dev *zec, struct net_device *pdev,
			  struct netlink_ext_ack *extack)
{
	struct net_device *dev = zec->dev;

	if (pdev == dev) {
		NL_SET_ERR_MSG(extack, "Cannot add a zec device to itself");
		return -EINVAL;
	}
	if (pdev->rtnl_link_ops == &zec_link_ops) {
		NL_SET_ERR_MSG(extack, "A zec device cannot be a port of another zec device");
		return -EINVAL;
	}
	if (pdev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG(extack, "Loopback device cannot be a zec port");
		return -EINVAL;
	}
	/*
	 * bonding takes any bond device flagged IFF_SLAVE for one of its own
	 * slaves and reads its rx_handler_data as such: a port's flag would
	 * crash it at the bond's next netdev event.
	 */
	if (netif_is_bond_master(pdev)) {
		NL_SET_ERR_MSG(extack, "A bond device cannot be a zec port");
		return -EINVAL;
	}
	if (pdev->type != ARPHRD_ETHER || pdev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "Only Ethernet devices can be zec ports");
		return -EINVAL;
	}
	if (!net_eq(dev_net(pdev), dev_net(dev))) {
		NL_SET_ERR_MSG(extack, "Device is in another network namespace");
		return -EINVAL;
	}
	if (pdev->reg_state != NETREG_REGISTERED) {
		NL_SET_ERR_MSG(extack, "Device is being unregistered");
		return -ENODEV;
	}
	if (zec_port_get_rtnl(pdev)) {
		NL_SET_ERR_MSG(extack, "Device is already a zec port");
		return -EBUSY;
	}
	if (netdev_master_upper_dev_get(pdev)) {
		NL_SET_ERR_MSG(extack,
			       "Device already has a master (bond, team, bridge, ...); release it first");
		return -EBUSY;
	}
	if (netdev_has_upper_dev(dev, pdev)) {
		NL_SET_ERR_MSG(extack,
			       "Device is stacked on the zec device; adding it would make a loop");
		return -ELOOP;
	}
	if (netdev_is_rx_handler_busy(pdev)) {
		NL_SET_ERR_MSG(extack, "Device is in use by macvlan, ipvlan or similar");
		return -EBUSY;
	}
	if ((pdev->features & NETIF_F_VLAN_CHALLENGED) && vlan_uses_dev(dev)) {
		NL_SET_ERR_MSG(extack, "Device cannot carry VLANs and the zec device has VLANs");
		return -EINVAL;
	}
	if (zec->nr_ports >= ZEC_MAX_PORTS) {
		NL_SET_ERR_MSG(extack, "The zec device has the maximum number of ports");
		return -ENOSPC;
	}
	return 0;
}

int zec_port_set_addr(struct zec_port *port, const u8 *addr,
		      struct netlink_ext_ack *extack)
{
	struct sockaddr_storage ss;
	int err;

	ss.ss_family = port->dev->type;
	memcpy(ss.__data, addr, port->dev->addr_len);
	port->zec->port_change_allowed = true;
	err = dev_set_mac_address(port->dev, (struct sockaddr *)&ss, extack);
	port->zec->port_change_allowed = false;
	return err;
}

int zec_port_set_mtu(struct zec_port *port, unsigned int mtu)
{
	int err;

	port->zec->port_change_allowed = true;
	err = dev_set_mtu(port->dev, mtu);
	port->zec->port_change_allowed = false;
	return err;
}

/* Where zec0 is promiscuous or all-multicast, so are its ports. */
static int zec_port_follow_flags(struct zec_port *port, int sign)
{
	struct net_device *dev = port->zec->dev;
	int err;

	if (dev->flags & IFF_PROMISC) {
		err = dev_set_promiscuity(port->dev, sign);
		if (err)
			return err;
	}
	if (dev->flags & IFF_ALLMULTI) {
		err = dev_set_allmulti(port->dev, sign);
		if (err) {
			if (dev->flags & IFF_PROMISC)
				dev_set_promiscuity(port->dev, -sign);
			return err;
		}
	}
	return 0;
}

/* @opts: NULL for the defaults (detected node, enabled). */
int zec_port_add(struct zec_dev *zec, struct net_device *pdev,
		 const struct zec_port_opts *opts,
		 struct netlink_ext_ack *extack)
{
	struct net_device *dev = zec->dev;
	struct zec_port *port;
	int err;

	ASSERT_RTNL();
	err = zec_port_check(zec, pdev, extack);
	if (err)
		return err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->zec = zec;
	port->dev = pdev;
	err = zec_rate_port_init(port);
	if (err)
		goto err_free;
	port->stats = netdev_alloc_pcpu_stats(struct zec_port_pcpu_stats);
	if (!port->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	port->detected_node = zec_detect_node(pdev);
	port->node_override = opts ? opts->node_override : NUMA_NO_NODE;
	port->enabled = opts ? opts->enabled : true;
	port->link = ZEC_PORT_LINK_DOWN;
	INIT_DELAYED_WORK(&port->up_delay_work, zec_port_up_delay_expired);
	port->orig_mtu = pdev->mtu;
	memcpy(port->orig_addr, pdev->dev_addr, pdev->addr_len);
	port->orig_up = pdev->flags & IFF_UP;

	err = zec_port_set_mtu(port, dev->mtu);
	if (err) {
		NL_SET_ERR_MSG(extack, "Device cannot take the MTU of the zec device");
		goto err_free;
	}
	err = zec_port_set_addr(port, dev->dev_addr, extack);
	if (err) {
		if (err == -EBUSY)
			NL_SET_ERR_MSG(extack,
				       "Device cannot change its MAC address while up; set it down first");
		goto err_mtu;
	}
	/* Like a bond's: IPv6 autoconf leaves it alone, ip link shows SLAVE. */
	pdev->flags |= IFF_SLAVE;
	err = dev_open(pdev, extack);
	if (err)
		goto err_addr;
	/*
	 * The device default, at the speed of the open port (many drivers
	 * know none while down); it applies even where the speed is unknown.
	 */
	err = zec_rate_apply(port);
	if (err)
		goto err_open;
	err = vlan_vids_add_by_dev(pdev, dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "Device cannot take the VLANs of the zec device");
		goto err_open;
	}
	err = zec_port_netpoll_enable(port);
	if (err) {
		NL_SET_ERR_MSG(extack, "Device cannot take netpoll, which the zec device has");
		goto err_vids;
	}
	/* First: a driver may refuse XDP while LRO is on. */
	if (!(dev->features & NETIF_F_LRO))
		dev_disable_lro(pdev);
	err = zec_xdp_port_join(port, extack);
	if (err)
		goto err_netpoll;
	err = netdev_rx_handler_register(pdev, zec_handle_frame, port);
	if (err)
		goto err_xdp;
	err = netdev_master_upper_dev_link(pdev, dev, NULL, NULL, extack);
	if (err)
		goto err_handler;
	err = zec_port_follow_flags(port, 1);
	if (err)
		goto err_upper;

	/* A down zec0 syncs nothing; opening it does (ndo_set_rx_mode). */
	if (netif_running(dev)) {
		netif_addr_lock_bh(dev);
		dev_uc_sync_multiple(pdev, dev);
		dev_mc_sync_multiple(pdev, dev);
		netif_addr_unlock_bh(dev);
	}

	list_add_tail_rcu(&port->list, &zec->ports);
	zec->nr_ports++;
	zec_compute_features(zec);
	zec_port_update_link(port, true);
	netdev_info(dev, "port %s added, node %d%s\n", pdev->name,
		    port->detected_node,
		    port->detected_node == NUMA_NO_NODE ? " (unknown: last resort)" : "");
	return 0;

err_upper:
	netdev_upper_dev_unlink(pdev, dev);
err_handler:
	netdev_rx_handler_unregister(pdev);
err_xdp:
	zec_xdp_port_leave(port);
err_netpoll:
	zec_port_netpoll_disable(port);
err_vids:
	vlan_vids_del_by_dev(pdev, dev);
err_open:
	if (!port->orig_up)
		dev_close(pdev);
err_addr:
	pdev->flags &= ~IFF_SLAVE;
	zec_port_set_addr(port, port->orig_addr, NULL);
err_mtu:
	zec_port_set_mtu(port, port->orig_mtu);
err_free:
	zec_rate_port_release(port);
	free_percpu(port->stats);
	kfree(port);
	return err;
}

static void zec_port_free_rcu(struct rcu_head *head)
{
	struct zec_port *port = container_of(head, struct zec_port, rcu);

	free_percpu(port->stats);
	kfree(port);
}

/*
 * @unregistering: the port device is going away or moving to another
 * namespace; it is not closed, and its MTU is restored without notifiers.
 */
static void zec_port_release(struct zec_port *port, bool unregistering)
{
	struct net_device *pdev = port->dev;
	struct zec_dev *zec = port->zec;
	struct net_device *dev = zec->dev;

	ASSERT_RTNL();
	/* Out of the egress table first, so no new packet picks it. */
	WRITE_ONCE(port->releasing, true);
	if (zec->rx_port_cfg == port)
		zec->rx_port_cfg = NULL;
	zec_ports_changed(zec, ZEC_REASON_REMOVED);
	cancel_delayed_work_sync(&port->up_delay_work);

	zec_port_follow_flags(port, -1);
	netdev_upper_dev_unlink(pdev, dev);
	/* Waits for a grace period: no transmit or receive uses it after. */
	netdev_rx_handler_unregister(pdev);
	zec_port_netpoll_disable(port);
	zec_xdp_port_leave(port);

	zec_rate_port_stop(port);
	/*
	 * Its counters are final: fold them in and unlist it in one step for
	 * statistics readers, and before its address lists are unsynced, so
	 * that zec0's ndo_set_rx_mode cannot sync them to it again.
	 */
	zec_stats_retire(port);
	zec->nr_ports--;
	zec_rate_port_release(port);

	vlan_vids_del_by_dev(pdev, dev);
	/* These take both address list locks themselves. */
	dev_uc_unsync(pdev, dev);
	dev_mc_unsync(pdev, dev);

	pdev->flags &= ~IFF_SLAVE;
	/* Closed first: a driver may refuse a new MAC address while up. */
	if (!unregistering && !port->orig_up)
		dev_close(pdev);
	if (zec_port_set_addr(port, port->orig_addr, NULL))
		netdev_warn(dev, "port %s keeps the zec device's MAC address\n",
			    pdev->name);
	if (unregistering)
		__dev_set_mtu(pdev, port->orig_mtu);
	else
		zec_port_set_mtu(port, port->orig_mtu);

	netdev_info(dev, "port %s removed\n", pdev->name);
	zec_ntf_port_removed(port);
	/* Statistics readers may still walk past it. */
	call_rcu(&port->rcu, zec_port_free_rcu);
	zec_compute_features(zec);
}

int zec_port_del(struct zec_dev *zec, struct net_device *pdev,
		 struct netlink_ext_ack *extack)
{
	struct zec_port *port = zec_port_get_rtnl(pdev);

	if (!port || port->zec != zec) {
		NL_SET_ERR_MSG(extack, "Device is not a port of this zec device");
		return -ENOENT;
	}
	zec_port_release(port, false);
	return 0;
}

void zec_port_del_all(struct zec_dev *zec)
{
	struct zec_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &zec->ports, list)
		zec_port_release(port, false);
}

/*
 * A driver changed @port's MAC address itself, without asking
 * (NETDEV_PRE_CHANGEADDR is only sent by dev_set_mac_address(), which
 * zec refuses for ports): a reset or a firmware event. A port carries
 * zec0's address, as a bond's slaves carry the bond's, or the frames sent
 * to zec0 would not pass the port's filter; so zec puts it back, as it
 * would at joining. A driver that refuses while up keeps its own, and zec
 * says so: traffic to zec0 through that port needs it promiscuous.
 */
static void zec_port_restore_addr(struct zec_port *port)
{
	struct net_device *dev = port->zec->dev;

	if (ether_addr_equal(port->dev->dev_addr, dev->dev_addr))
		return;
	if (zec_port_set_addr(port, dev->dev_addr, NULL))
		netdev_warn(dev, "port %s changed its MAC address and keeps it: frames to %pM may not pass it\n",
			    port->dev->name, dev->dev_addr);
	else
		netdev_info(dev, "port %s changed its MAC address: %s's is back\n",
			    port->dev->name, dev->name);
}

static int zec_port_event(struct zec_port *port, unsigned long event,
			  void *ptr)
{
	struct netdev_notifier_pre_changeaddr_info *addr_info;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		/* A new link speed comes with a carrier change. */
		zec_rate_refresh(port);
		zec_port_update_link(port, false);
		break;
	case NETDEV_UNREGISTER:
		zec_port_release(port, true);
		break;
	case NETDEV_FEAT_CHANGE:
		zec_compute_features(port->zec);
		break;
	case NETDEV_PRECHANGEMTU:
		if (!port->zec->port_change_allowed) {
			netdev_info(port->zec->dev, "MTU of port %s follows the zec device; change it there\n",
				    port->dev->name);
			return notifier_from_errno(-EBUSY);
		}
		break;
	case NETDEV_PRE_CHANGEADDR:
		if (!port->zec->port_change_allowed) {
			addr_info = ptr;
			NL_SET_ERR_MSG(addr_info->info.extack,
				       "The MAC address of a zec port follows the zec device");
			return notifier_from_errno(-EBUSY);
		}
		break;
	case NETDEV_CHANGEADDR:
		if (!port->zec->port_change_allowed)
			zec_port_restore_addr(port);
		break;
	case NETDEV_CHANGENAME:
		zec_ntf_port_state(port, ZEC_REASON_RENAMED);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return notifier_from_errno(-EBUSY);
	}
	return NOTIFY_DONE;
}

static int zec_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *pdev = netdev_notifier_info_to_dev(ptr);
	struct zec_port *port = zec_port_get_rtnl(pdev);

	if (!port)
		return NOTIFY_DONE;
	return zec_port_event(port, event, ptr);
}

static struct notifier_block zec_netdev_notifier = {
	.notifier_call = zec_netdev_event,
};

int __init zec_port_notifier_init(void)
{
	return register_netdevice_notifier(&zec_netdev_notifier);
}

void zec_port_notifier_exit(void)
{
	unregister_netdevice_notifier(&zec_netdev_notifier);
}
