// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rtnetlink side of the link kind "zec" (include/uapi/linux/zec.h,
 * IFLA_ZEC_*): "ip link add zec0 type zec mode independent" and "ip link
 * set zec0 type zec ..." set the device's settings through config.c, as
 * ZEC_CMD_DEV_SET does; "ip -d link" reads them back in IFLA_INFO_DATA,
 * and each port's state in its IFLA_INFO_SLAVE_DATA, written by msg.c's
 * writers that family zec's messages use too. The ops themselves are
 * device.c's zec_link_ops. Under RTNL.
 */

#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "zec.h"

const struct nla_policy zec_rtnl_policy[IFLA_ZEC_MAX + 1] = {
	[IFLA_ZEC_MODE]			= ZEC_CFG_POLICY_MODE,
	[IFLA_ZEC_UP_DELAY_MS]		= ZEC_CFG_POLICY_UP_DELAY_MS,
	[IFLA_ZEC_GARP_COUNT]		= ZEC_CFG_POLICY_GARP_COUNT,
	[IFLA_ZEC_RX_PORT]		= ZEC_CFG_POLICY_RX_PORT,
	[IFLA_ZEC_MAC_TABLE_SIZE]	= ZEC_CFG_POLICY_MAC_TABLE_SIZE,
	[IFLA_ZEC_MAC_AGEING_MS]	= ZEC_CFG_POLICY_MAC_AGEING_MS,
	[IFLA_ZEC_ANNOUNCE_COUNT]	= ZEC_CFG_POLICY_ANNOUNCE_COUNT,
	[IFLA_ZEC_ANNOUNCE_INTERVAL_MS]	= ZEC_CFG_POLICY_ANNOUNCE_INTERVAL_MS,
	[IFLA_ZEC_ANNOUNCE_RATE]	= ZEC_CFG_POLICY_ANNOUNCE_RATE,
	[IFLA_ZEC_RX_PORT_ACTIVE]	= {
		.type = NLA_REJECT,
		.reject_message = "The active receive port is reported, not set",
	},
};

/* Each setting of config.c as IFLA_INFO_DATA names it. */
static const u16 zec_rtnl_cfg_map[ZEC_CFG_NR] = {
	[ZEC_CFG_MODE]			= IFLA_ZEC_MODE,
	[ZEC_CFG_UP_DELAY_MS]		= IFLA_ZEC_UP_DELAY_MS,
	[ZEC_CFG_GARP_COUNT]		= IFLA_ZEC_GARP_COUNT,
	[ZEC_CFG_RX_PORT]		= IFLA_ZEC_RX_PORT,
	[ZEC_CFG_MAC_TABLE_SIZE]	= IFLA_ZEC_MAC_TABLE_SIZE,
	[ZEC_CFG_MAC_AGEING_MS]		= IFLA_ZEC_MAC_AGEING_MS,
	[ZEC_CFG_ANNOUNCE_COUNT]	= IFLA_ZEC_ANNOUNCE_COUNT,
	[ZEC_CFG_ANNOUNCE_INTERVAL_MS]	= IFLA_ZEC_ANNOUNCE_INTERVAL_MS,
	[ZEC_CFG_ANNOUNCE_RATE]		= IFLA_ZEC_ANNOUNCE_RATE,
};

static const struct zec_port_attrs zec_rtnl_port_attrs = {
	.node		= IFLA_ZEC_PORT_NODE,
	.detected_node	= IFLA_ZEC_PORT_DETECTED_NODE,
	.node_override	= IFLA_ZEC_PORT_NODE_OVERRIDE,
	.enabled	= IFLA_ZEC_PORT_ENABLED,
	.state		= IFLA_ZEC_PORT_STATE,
	.down_reasons	= IFLA_ZEC_PORT_DOWN_REASONS,
	.speed_mbps	= IFLA_ZEC_PORT_SPEED_MBPS,
};

/* The policy checked IFLA_INFO_DATA; the address is ours to check. */
int zec_rtnl_validate(struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	struct nlattr *addr = tb[IFLA_ADDRESS];

	if (addr && (nla_len(addr) != ETH_ALEN ||
		     !is_valid_ether_addr(nla_data(addr)))) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "A zec device takes a unicast Ethernet address");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/*
 * The settings are checked and prepared before the device is registered,
 * and applied once it is (the egress table they remap exists from then
 * on); the RTM_NEWLINK notification follows, so no one sees the device
 * with other settings than those asked.
 */
int zec_rtnl_newlink(struct net *src_net, struct net_device *dev,
		     struct nlattr *tb[], struct nlattr *data[],
		     struct netlink_ext_ack *extack)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_cfg cfg;
	int err;

	if (!data)
		return register_netdevice(dev);
	err = zec_cfg_parse(zec, &cfg, data, zec_rtnl_cfg_map, extack);
	if (err)
		return err;
	err = register_netdevice(dev);
	if (err) {
		zec_cfg_abort(zec, &cfg);
		return err;
	}
	zec_cfg_commit(zec, &cfg);
	return 0;
}

int zec_rtnl_changelink(struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (!data)
		return 0;
	return zec_cfg_set(netdev_priv(dev), data, zec_rtnl_cfg_map, extack);
}

size_t zec_rtnl_get_size(const struct net_device *dev)
{
	/* Every setting and the active receive port. */
	return (ZEC_CFG_NR + 1) * nla_total_size(sizeof(u32));
}

int zec_rtnl_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	return zec_msg_put_settings(skb, netdev_priv(dev), zec_rtnl_cfg_map,
				    IFLA_ZEC_RX_PORT_ACTIVE);
}

size_t zec_rtnl_get_slave_size(const struct net_device *dev,
			       const struct net_device *slave_dev)
{
	return IFLA_ZEC_PORT_MAX * nla_total_size(sizeof(u32));
}

int zec_rtnl_fill_slave_info(struct sk_buff *skb, const struct net_device *dev,
			     const struct net_device *slave_dev)
{
	struct zec_port *port = zec_port_get_rtnl(slave_dev);

	if (!port)
		return 0;
	return zec_msg_put_port_state(skb, port, &zec_rtnl_port_attrs);
}
