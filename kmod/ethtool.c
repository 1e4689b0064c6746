// SPDX-License-Identifier: GPL-2.0-only
/*
 * ethtool: driver name, aggregate link speed, and the counters that say
 * whether traffic stayed on its node ("ethtool -S zec0").
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "version.h"
#include "zec.h"

static void zec_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, ZEC_VERSION, sizeof(info->version));
}

/* Like a bond's: the sum over the ports that can carry traffic now. */
static int zec_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct ethtool_link_ksettings port_cmd;
	unsigned long speed = 0;
	struct zec_port *port;

	ASSERT_RTNL();
	list_for_each_entry(port, &zec->ports, list) {
		if (!zec_port_healthy(port) ||
		    __ethtool_get_link_ksettings(port->dev, &port_cmd) ||
		    port_cmd.base.speed == SPEED_UNKNOWN)
			continue;
		speed += port_cmd.base.speed;
	}
	cmd->base.speed = speed ? min_t(unsigned long, speed, INT_MAX) :
				  SPEED_UNKNOWN;
	cmd->base.duplex = speed ? DUPLEX_FULL : DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/*
 * Device totals first, then each port's counters under its name. The
 * port list only changes under RTNL, which ethtool holds for each call.
 */
static const char zec_dev_stat_names[][ETH_GSTRING_LEN] = {
	"tx_local_packets",
	"tx_local_bytes",
	"tx_cross_node_packets",
	"tx_cross_node_bytes",
	"tx_port_errors",
	"tx_drop_no_port",
	"rx_packets",
	"rx_bytes",
	"failovers",
	"last_failover_ns",
	"tx_drop_rate",
	"tx_rate_delayed",
	"tx_rate_queued",
	"rx_reflections",
	"rx_flood_duplicates",
	"announcements",
};

static const char zec_port_stat_names[][ETH_GSTRING_LEN] = {
	"tx_local_packets",
	"tx_local_bytes",
	"tx_cross_node_packets",
	"tx_cross_node_bytes",
	"tx_errors",
	"rx_packets",
	"rx_bytes",
	"tx_drop_rate",
	"tx_rate_delayed",
	"tx_rate_queued",
	"rx_reflections",
	"rx_flood_duplicates",
	"announcements",
};

#define ZEC_DEV_STATS	ARRAY_SIZE(zec_dev_stat_names)
#define ZEC_PORT_STATS	ARRAY_SIZE(zec_port_stat_names)

static int zec_get_sset_count(struct net_device *dev, int sset)
{
	struct zec_dev *zec = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ZEC_DEV_STATS + zec->nr_ports * ZEC_PORT_STATS;
}

static void zec_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port *port;
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	memcpy(buf, zec_dev_stat_names, sizeof(zec_dev_stat_names));
	buf += sizeof(zec_dev_stat_names);
	list_for_each_entry(port, &zec->ports, list) {
		for (i = 0; i < ZEC_PORT_STATS; i++) {
			const char *name = zec_port_stat_names[i];
			/* Shorten the port name, never the counter's. */
			int room = ETH_GSTRING_LEN - 2 - strlen(name);

			snprintf(buf, ETH_GSTRING_LEN, "%.*s.%s", room,
				 port->dev->name, name);
			buf += ETH_GSTRING_LEN;
		}
	}
}

static u64 *zec_put_port_stats(u64 *data, const struct zec_port_stats *s)
{
	*data++ = s->tx_local_packets;
	*data++ = s->tx_local_bytes;
	*data++ = s->tx_cross_packets;
	*data++ = s->tx_cross_bytes;
	*data++ = s->tx_errors;
	*data++ = s->rx_packets;
	*data++ = s->rx_bytes;
	*data++ = s->tx_drop_rate;
	*data++ = s->tx_rate_delayed;
	*data++ = s->tx_rate_queued;
	*data++ = s->rx_reflections;
	*data++ = s->rx_flood_duplicates;
	*data++ = s->announcements;
	return data;
}

static void zec_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct zec_dev *zec = netdev_priv(dev);
	struct zec_port_stats total;
	struct zec_port *port;
	u64 no_port;

	zec_stats_dev(zec, &total, &no_port);
	*data++ = total.tx_local_packets;
	*data++ = total.tx_local_bytes;
	*data++ = total.tx_cross_packets;
	*data++ = total.tx_cross_bytes;
	*data++ = total.tx_errors;
	*data++ = no_port;
	*data++ = total.rx_packets;
	*data++ = total.rx_bytes;
	*data++ = READ_ONCE(zec->failovers);
	*data++ = READ_ONCE(zec->last_failover_ns);
	*data++ = total.tx_drop_rate;
	*data++ = total.tx_rate_delayed;
	*data++ = total.tx_rate_queued;
	*data++ = total.rx_reflections;
	*data++ = total.rx_flood_duplicates;
	*data++ = total.announcements;

	list_for_each_entry(port, &zec->ports, list) {
		struct zec_port_stats s = {};

		zec_stats_port(port, &s);
		data = zec_put_port_stats(data, &s);
	}
}

const struct ethtool_ops zec_ethtool_ops = {
	.get_drvinfo		= zec_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= zec_get_link_ksettings,
	.get_sset_count		= zec_get_sset_count,
	.get_strings		= zec_get_strings,
	.get_ethtool_stats	= zec_get_ethtool_stats,
};
