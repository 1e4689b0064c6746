// SPDX-License-Identifier: GPL-2.0-only
/*
 * The notifications of the monitor group of family zec: the only netlink
 * the rest of the module calls. Ports, the egress table's caller, probes
 * and rate caps report here what changed; this builds the message (msg.c)
 * and multicasts it in the device's namespace. All under RTNL.
 *
 * Each notification bumps the device's generation first, even when nobody
 * listens or the message cannot be built: a listener then sees a gap. It
 * also bumps zec_ntf_changes, which only ever grows, so that a dump can
 * tell that some device changed between its parts (zec_ntf_seq()).
 *
 * rtnetlink's listeners ("ip monitor link", whatever caches "ip -d link")
 * are told here too, as bonding tells them: NETDEV_CHANGEINFODATA when
 * what zec0's IFLA_INFO_DATA says changed, NETDEV_CHANGELOWERSTATE when a
 * port's IFLA_INFO_SLAVE_DATA did; rtnetlink sends each as RTM_NEWLINK.
 */

#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "netlink.h"

/* Notifications of all zec devices so far; under RTNL. */
static unsigned int zec_ntf_changes;

unsigned int zec_ntf_seq(void)
{
	ASSERT_RTNL();
	return zec_ntf_changes;
}

/*
 * Whether rtnetlink's listeners may be told of zec0 and its ports: not
 * while "ip link add" is still setting zec0 up (its own RTM_NEWLINK
 * follows, with the settings applied), nor while zec0 goes away.
 */
static bool zec_ntf_rtnl_ready(const struct zec_dev *zec)
{
	const struct net_device *dev = zec->dev;

	return dev->reg_state == NETREG_REGISTERED &&
	       dev->rtnl_link_state == RTNL_LINK_INITIALIZED;
}

/* zec0's IFLA_INFO_DATA changed: its settings, or the active receive port. */
void zec_ntf_info_data(struct zec_dev *zec)
{
	ASSERT_RTNL();
	if (zec_ntf_rtnl_ready(zec))
		call_netdevice_notifiers(NETDEV_CHANGEINFODATA, zec->dev);
}

/*
 * A port's IFLA_INFO_SLAVE_DATA: its down reasons (which say its state and
 * whether it is enabled) or its node override changed since it was last
 * told, or it has just joined (@joined: the RTM_NEWLINK of its enslaving
 * was sent before it had a state). A rename or a rate cap leaves it as it
 * was; the speed changes with the carrier. The lower state info is what
 * bonding gives for LAG offloads.
 */
static void zec_ntf_lower_state(struct zec_port *port, bool joined)
{
	struct netdev_lag_lower_state_info info;
	u32 reasons = zec_port_down_reasons(port);

	if (!zec_ntf_rtnl_ready(port->zec))
		return;
	if (!joined && reasons == port->told_reasons &&
	    port->node_override == port->told_node_override)
		return;
	port->told_reasons = reasons;
	port->told_node_override = port->node_override;
	info.link_up = port->link == ZEC_PORT_LINK_UP;
	info.tx_enabled = zec_port_healthy(port);
	netdev_lower_state_changed(port->dev, &info);
}

static struct sk_buff *zec_ntf_new(struct zec_dev *zec, u8 cmd,
				   void **hdr)
{
	struct sk_buff *skb;

	ASSERT_RTNL();
	zec->generation++;
	zec_ntf_changes++;
	if (!genl_has_listeners(&zec_genl_family, dev_net(zec->dev), 0))
		return NULL;
	skb = genlmsg_new(zec_msg_size(zec->nr_ports), GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &zec_genl_family, 0, cmd);
	if (!*hdr || zec_msg_put_dev_id(skb, zec)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void zec_ntf_send(struct zec_dev *zec, struct sk_buff *skb,
			 void *hdr, int err)
{
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&zec_genl_family, dev_net(zec->dev), skb, 0,
				0, GFP_KERNEL);
}

/* Opens the event nest with its reason and timestamp; NULL if no room. */
static struct nlattr *zec_ntf_event_start(struct sk_buff *skb,
					  enum zec_reason reason, u64 ts)
{
	struct nlattr *nest = nla_nest_start(skb, ZEC_A_DEV_EVENT);

	if (!nest)
		return NULL;
	if (nla_put_u32(skb, ZEC_A_EVENT_REASON, reason) ||
	    nla_put_u64_64bit(skb, ZEC_A_EVENT_TIMESTAMP_NS, ts,
			      ZEC_A_EVENT_PAD)) {
		nla_nest_cancel(skb, nest);
		return NULL;
	}
	return nest;
}

static void zec_ntf_port(struct zec_port *port, u8 cmd,
			 enum zec_msg_port_what what, int reason)
{
	struct zec_dev *zec = port->zec;
	struct nlattr *event;
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = zec_ntf_new(zec, cmd, &hdr);
	if (!skb)
		return;
	err = zec_msg_put_port(skb, port, what);
	if (!err && reason >= 0) {
		event = zec_ntf_event_start(skb, reason, ktime_get_ns());
		if (event)
			nla_nest_end(skb, event);
		else
			err = -EMSGSIZE;
	}
	zec_ntf_send(zec, skb, hdr, err);
}

void zec_ntf_port_added(struct zec_port *port)
{
	zec_ntf_port(port, ZEC_CMD_PORT_ADD_NTF, ZEC_MSG_PORT_CONFIG, -1);
	zec_ntf_lower_state(port, true);
}

void zec_ntf_port_removed(struct zec_port *port)
{
	zec_ntf_port(port, ZEC_CMD_PORT_DEL_NTF, ZEC_MSG_PORT_NAME,
		     ZEC_REASON_REMOVED);
}

void zec_ntf_port_state(struct zec_port *port, enum zec_reason reason)
{
	zec_ntf_port(port, ZEC_CMD_PORT_STATE_NTF, ZEC_MSG_PORT_CONFIG,
		     reason);
	zec_ntf_lower_state(port, false);
}

static u32 zec_ntf_head(const struct zec_route *route)
{
	return route->count ? route->entries[0].port->dev->ifindex : 0;
}

void zec_ntf_failover(struct zec_dev *zec, int node,
		      const struct zec_route *old, const struct zec_route *new,
		      enum zec_reason reason, u64 timestamp_ns)
{
	struct nlattr *event;
	struct sk_buff *skb;
	u32 distance;
	void *hdr;
	int err;

	skb = zec_ntf_new(zec, ZEC_CMD_FAILOVER_NTF, &hdr);
	if (!skb)
		return;
	event = zec_ntf_event_start(skb, reason, timestamp_ns);
	err = event ? 0 : -EMSGSIZE;
	if (!err &&
	    (nla_put_u32(skb, ZEC_A_EVENT_NODE, node) ||
	     nla_put_u32(skb, ZEC_A_EVENT_FROM_IFINDEX, zec_ntf_head(old)) ||
	     nla_put_u32(skb, ZEC_A_EVENT_TO_IFINDEX, zec_ntf_head(new)) ||
	     nla_put_u32(skb, ZEC_A_EVENT_SELECT,
			 zec_msg_select(new, node, &distance))))
		err = -EMSGSIZE;
	if (!err)
		nla_nest_end(skb, event);
	zec_ntf_send(zec, skb, hdr, err);
}

void zec_ntf_dev_change(struct zec_dev *zec)
{
	struct sk_buff *skb;
	void *hdr;

	skb = zec_ntf_new(zec, ZEC_CMD_DEV_CHANGE_NTF, &hdr);
	if (skb)
		zec_ntf_send(zec, skb, hdr, zec_msg_put_config(skb, zec));
}

void zec_ntf_rx_port(struct zec_dev *zec, const struct zec_port *from,
		     const struct zec_port *to, enum zec_reason reason,
		     u64 timestamp_ns)
{
	struct nlattr *event;
	struct sk_buff *skb;
	void *hdr;
	int err;

	zec_ntf_info_data(zec);
	skb = zec_ntf_new(zec, ZEC_CMD_RX_PORT_NTF, &hdr);
	if (!skb)
		return;
	err = nla_put_u32(skb, ZEC_A_DEV_RX_PORT_ACTIVE, zec_msg_ifindex(to));
	event = err ? NULL : zec_ntf_event_start(skb, reason, timestamp_ns);
	if (!event ||
	    nla_put_u32(skb, ZEC_A_EVENT_FROM_IFINDEX, zec_msg_ifindex(from)) ||
	    nla_put_u32(skb, ZEC_A_EVENT_TO_IFINDEX, zec_msg_ifindex(to)))
		err = -EMSGSIZE;
	if (!err)
		nla_nest_end(skb, event);
	zec_ntf_send(zec, skb, hdr, err);
}
