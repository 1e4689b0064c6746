// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zec netdev and its rtnl link kind.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "device.h"

static netdev_tx_t zec_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops zec_netdev_ops = {
	.ndo_start_xmit		= zec_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void zec_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &zec_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_LLTX;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	eth_hw_addr_random(dev);
}

static struct rtnl_link_ops zec_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.setup		= zec_setup,
};

int __init zec_device_init(void)
{
	return rtnl_link_register(&zec_link_ops);
}

void zec_device_exit(void)
{
	rtnl_link_unregister(&zec_link_ops);
}
