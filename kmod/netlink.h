/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic netlink family "zec" (netlink.c) and the attribute writers
 * its replies share with the notifications (msg.c, notify.c). The rest of
 * the module calls notify.c, and rtnl.c the writers msg.c shares with it,
 * through zec.h.
 */
#ifndef ZEC_NETLINK_H
#define ZEC_NETLINK_H

#include <net/genetlink.h>

#include "zec.h"

extern struct genl_family zec_genl_family;

int zec_genl_init(void);
void zec_genl_exit(void);

/* msg.c */
enum zec_msg_port_what {
	ZEC_MSG_PORT_NAME,	/* ifindex and ifname only */
	ZEC_MSG_PORT_CONFIG,	/* as in ZEC_CMD_DEV_GET */
	ZEC_MSG_PORT_STATS,	/* as in ZEC_CMD_STATS_GET */
};

extern const u16 zec_msg_cfg_map[ZEC_CFG_NR];
size_t zec_msg_size(unsigned int nr_ports);
u32 zec_msg_ifindex(const struct zec_port *port);
int zec_msg_put_dev_id(struct sk_buff *skb, struct zec_dev *zec);
int zec_msg_put_config(struct sk_buff *skb, struct zec_dev *zec);
int zec_msg_put_port(struct sk_buff *skb, struct zec_port *port,
		     enum zec_msg_port_what what);
enum zec_select zec_msg_select(const struct zec_route *route, int node,
			       u32 *distance);
int zec_msg_put_dev(struct sk_buff *skb, struct zec_dev *zec, bool stats);
int zec_msg_put_mac(struct sk_buff *skb, const struct zec_mac_entry *entry,
		    const struct zec_port *port);

#endif
