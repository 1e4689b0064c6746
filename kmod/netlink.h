/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic netlink family "zec": commands, and the notifications of
 * its monitor group that the control path sends as state changes. Every
 * notification bumps the device's generation first. All under RTNL.
 */
#ifndef ZEC_NETLINK_H
#define ZEC_NETLINK_H

#include "zec.h"

int zec_genl_init(void);
void zec_genl_exit(void);

void zec_nl_port_added(struct zec_port *port);
void zec_nl_port_removed(struct zec_port *port);
void zec_nl_port_state(struct zec_port *port, enum zec_reason reason);
void zec_nl_failover(struct zec_dev *zec, int node,
		     const struct zec_route *old, const struct zec_route *new,
		     enum zec_reason reason, u64 timestamp_ns);
void zec_nl_dev_change(struct zec_dev *zec);

#endif
