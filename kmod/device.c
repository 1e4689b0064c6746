// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zec netdev: its operations, what it passes down to its ports (MTU,
 * MAC address, address lists, VLANs) and what it takes from them
 * (features, statistics), and its rtnl link kind, whose netlink side is
 * rtnl.c's.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "zec.h"

static int zec_init(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	int err;

	zec->stats = netdev_alloc_pcpu_stats(struct zec_dev_pcpu_stats);
	if (!zec->stats)
		return -ENOMEM;
	err = zec_route_init(zec);
	if (err) {
		free_percpu(zec->stats);
		return err;
	}
	/* zec0 transmits through other netdevs: their locks nest in its. */
	netdev_lockdep_set_classes(dev);
	netif_carrier_off(dev);
	return 0;
}

static void zec_uninit(struct net_device *dev)
{
	zec_probe_teardown(netdev_priv(dev));
	zec_port_del_all(netdev_priv(dev));
	zec_announce_stop(netdev_priv(dev));
	zec_learn_stop(netdev_priv(dev));
}

static void zec_destructor(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);

	kfree(rcu_dereference_protected(zec->table, true));
	zec_macs_free(rcu_dereference_protected(zec->macs, true));
	kfree(zec->rate_cfg);
	free_percpu(zec->stats);
}

static void zec_set_rx_mode(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	rcu_read_lock();
	list_for_each_entry_rcu(port, &zec->ports, list) {
		dev_uc_sync_multiple(port->dev, dev);
		dev_mc_sync_multiple(port->dev, dev);
	}
	rcu_read_unlock();
}

/*
 * What zec0 synced to its ports' address lists is taken back when it goes
 * down (and so before it is unregistered, when its own lists are flushed
 * and could no longer say what to unsync); opening syncs them again.
 */
static int zec_stop(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list) {
		dev_uc_unsync(port->dev, dev);
		dev_mc_unsync(port->dev, dev);
	}
	return 0;
}

/* The learning frames stop while zec0 is down (announce.c). */
static int zec_open(struct net_device *dev)
{
	zec_learn_update(netdev_priv(dev));
	return 0;
}

static void zec_change_rx_flags(struct net_device *dev, int change)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list) {
		if (change & IFF_PROMISC)
			dev_set_promiscuity(port->dev,
					    dev->flags & IFF_PROMISC ? 1 : -1);
		if (change & IFF_ALLMULTI)
			dev_set_allmulti(port->dev,
					 dev->flags & IFF_ALLMULTI ? 1 : -1);
	}
}

/* The MTU range is the intersection over ports (see zec_compute_features). */
static int zec_change_mtu(struct net_device *dev, int new_mtu)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;
	int err;

	list_for_each_entry(port, &zec->ports, list) {
		err = zec_port_set_mtu(port, new_mtu);
		if (err) {
			netdev_err(dev, "port %s cannot take MTU %d (%d)\n",
				   port->dev->name, new_mtu, err);
			goto unwind;
		}
	}
	dev->mtu = new_mtu;
	zec_rate_mtu_changed(zec);
	return 0;

unwind:
	list_for_each_entry_continue_reverse(port, &zec->ports, list)
		zec_port_set_mtu(port, dev->mtu);
	return err;
}

static int zec_set_mac_address(struct net_device *dev, void *p)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct sockaddr *sa = p;
	struct zec_port *port;
	int err;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;

	list_for_each_entry(port, &zec->ports, list) {
		err = zec_port_set_addr(port, sa->sa_data, NULL);
		if (err) {
			netdev_err(dev, "port %s cannot take the address (%d)\n",
				   port->dev->name, err);
			goto unwind;
		}
	}
	eth_hw_addr_set(dev, sa->sa_data);
	/* The ports' source MACs for zec0's frames depend on it (route.c). */
	zec_ports_changed(zec, ZEC_REASON_ADMIN);
	return 0;

unwind:
	list_for_each_entry_continue_reverse(port, &zec->ports, list)
		zec_port_set_addr(port, dev->dev_addr, NULL);
	return err;
}

static int zec_add_slave(struct net_device *dev, struct net_device *pdev,
			 struct netlink_ext_ack *extack)
{
	return zec_port_add(netdev_priv(dev), pdev, NULL, extack);
}

static int zec_del_slave(struct net_device *dev, struct net_device *pdev)
{
	return zec_port_del(netdev_priv(dev), pdev, NULL);
}

static int zec_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;
	int err;

	list_for_each_entry(port, &zec->ports, list) {
		err = vlan_vid_add(port->dev, proto, vid);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	list_for_each_entry_continue_reverse(port, &zec->ports, list)
		vlan_vid_del(port->dev, proto, vid);
	return err;
}

static int zec_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		vlan_vid_del(port->dev, proto, vid);
	return 0;
}

static const struct net_device_ops zec_netdev_ops = {
	.ndo_init		= zec_init,
	.ndo_uninit		= zec_uninit,
	.ndo_open		= zec_open,
	.ndo_stop		= zec_stop,
	.ndo_start_xmit		= zec_xmit,
	.ndo_select_queue	= zec_select_queue,
	/*
	 * Everything passes zec0: the port's own dev_queue_xmit() applies
	 * its driver's features_check and segments in software there, as
	 * under a bond or a team, without a route pick per packet here.
	 */
	.ndo_features_check	= passthru_features_check,
	.ndo_get_stats64	= zec_stats_get64,
	.ndo_set_rx_mode	= zec_set_rx_mode,
	.ndo_change_rx_flags	= zec_change_rx_flags,
	.ndo_change_mtu		= zec_change_mtu,
	.ndo_set_mac_address	= zec_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_add_slave		= zec_add_slave,
	.ndo_del_slave		= zec_del_slave,
	.ndo_fix_features	= zec_fix_features,
	.ndo_vlan_rx_add_vid	= zec_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= zec_vlan_rx_kill_vid,
	.ndo_bpf		= zec_xdp,
	.ndo_xdp_xmit		= zec_xdp_xmit,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_netpoll_setup	= zec_netpoll_setup,
	.ndo_netpoll_cleanup	= zec_netpoll_cleanup,
	.ndo_poll_controller	= zec_poll_controller,
#endif
};

static const struct device_type zec_type = {
	.name = KBUILD_MODNAME,
};

static void zec_setup(struct net_device *dev)
{
	struct zec_dev *zec = netdev_priv(dev);

	ether_setup(dev);
	zec->dev = dev;
	INIT_LIST_HEAD(&zec->ports);
	zec_stats_init(zec);
	zec->garp_count = ZEC_DEFAULT_GARP_COUNT;
	zec->mac_table_size = ZEC_MAC_TABLE_SIZE_DEFAULT;
	zec->mac_ageing_ms = ZEC_MAC_AGEING_MS_DEFAULT;
	zec->announce_count = ZEC_ANNOUNCE_COUNT_DEFAULT;
	zec->announce_interval_ms = ZEC_ANNOUNCE_INTERVAL_MS_DEFAULT;
	zec->announce_rate = ZEC_ANNOUNCE_RATE_DEFAULT;
	ratelimit_state_init(&zec->failover_rs, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	zec_announce_init(zec);
	zec_probe_init(zec);

	dev->netdev_ops = &zec_netdev_ops;
	dev->ethtool_ops = &zec_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = zec_destructor;
	SET_NETDEV_DEVTYPE(dev, &zec_type);

	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_UNICAST_FLT | IFF_LIVE_ADDR_CHANGE;
	/*
	 * netpoll transmits with interrupts off, and on PREEMPT_RT the
	 * transmit locks it takes on the ports sleep: netconsole on zec0
	 * under traffic left every CPU of the RT test guest spinning with
	 * interrupts off. Refused there (netpoll says "doesn't support
	 * polling") rather than hung.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		dev->priv_flags |= IFF_DISABLE_NETPOLL;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;

	/* Transmit takes no lock of zec0: ports have their own queues. */
	dev->features |= NETIF_F_LLTX;
	/* Ports are netdevs of this namespace: zec0 cannot leave it. */
	dev->features |= NETIF_F_NETNS_LOCAL;
	/*
	 * GSO_PARTIAL stays only where every port has it; the segmentations
	 * a port does only in part then reach it partly segmented (see
	 * zec_compute_features()), else segmented in full.
	 */
	dev->hw_features = ZEC_VLAN_FEATURES | NETIF_F_GSO_ENCAP_ALL |
			   NETIF_F_GSO_PARTIAL |
			   NETIF_F_HW_VLAN_CTAG_RX | NETIF_F_HW_VLAN_CTAG_FILTER |
			   NETIF_F_HW_VLAN_STAG_RX | NETIF_F_HW_VLAN_STAG_FILTER;
	dev->features |= dev->hw_features |
			 NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	/* The MTU range, limits and feature sets of a zec0 without ports. */
	zec_inherit_features(zec);
	eth_hw_addr_random(dev);
}

/* rtnetlink's bound on a device's queues (rtnl_create_link()). */
#define ZEC_MAX_TX_QUEUES	4096

/*
 * One transmit queue per CPU id, holes in the possible CPUs' ids included
 * (zec_select_queue() indexes them by CPU id), unless "ip link add ...
 * numtxqueues N" says otherwise. Receive keeps one queue: frames reach
 * zec0 through its ports' rx handler, after the ports' RPS.
 */
static unsigned int zec_get_num_tx_queues(void)
{
	return min_t(unsigned int, nr_cpu_ids, ZEC_MAX_TX_QUEUES);
}

struct rtnl_link_ops zec_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct zec_dev),
	.setup		= zec_setup,
	.get_num_tx_queues = zec_get_num_tx_queues,
	.maxtype	= IFLA_ZEC_MAX,
	.policy		= zec_rtnl_policy,
	.validate	= zec_rtnl_validate,
	.newlink	= zec_rtnl_newlink,
	.changelink	= zec_rtnl_changelink,
	.get_size	= zec_rtnl_get_size,
	.fill_info	= zec_rtnl_fill_info,
	.get_slave_size	= zec_rtnl_get_slave_size,
	.fill_slave_info = zec_rtnl_fill_slave_info,
};

int __init zec_device_init(void)
{
	return rtnl_link_register(&zec_link_ops);
}

void zec_device_exit(void)
{
	rtnl_link_unregister(&zec_link_ops);
}
