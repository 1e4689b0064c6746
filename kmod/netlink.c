// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink family "zec" (include/uapi/linux/zec.h): its
 * policies, the handlers that get, set and dump zec devices, and the
 * family itself. The handlers call down into the parts that own what a
 * command changes (config.c, port.c, probe.c, rate.c) and
 * the attribute writers of msg.c; nothing calls up into this file. The
 * monitor group's notifications are notify.c's.
 *
 * As WireGuard's: strict policies at the top, one lookup (pre_doit) that
 * takes exactly one of ifindex and ifname in the caller's namespace and
 * refuses other kinds, GENL_UNS_ADMIN_PERM on every command that changes
 * state. Everything runs under RTNL, which also orders each device's
 * generation against the state it describes.
 */

#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"

static const struct nla_policy zec_port_policy[ZEC_A_PORT_MAX + 1] = {
	[ZEC_A_PORT_IFINDEX]		= NLA_POLICY_MIN(NLA_U32, 1),
	[ZEC_A_PORT_IFNAME]		= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[ZEC_A_PORT_NODE_OVERRIDE]	= NLA_POLICY_MAX(NLA_U32, ZEC_NODE_ID_MAX),
	[ZEC_A_PORT_NODE_AUTO]		= { .type = NLA_FLAG },
	[ZEC_A_PORT_ENABLED]		= NLA_POLICY_MAX(NLA_U8, 1),
};

/* Not const, as config.c's ranges: 6.1's policies point to them without. */
static struct netlink_range_validation zec_rate_bps_range __ro_after_init = {
	.min = ZEC_RATE_BPS_MIN,
	.max = ZEC_RATE_BPS_MAX,
};

static struct netlink_range_validation zec_rate_pps_range __ro_after_init = {
	.min = 1,
	.max = ZEC_RATE_PPS_MAX,
};

/* A burst's lower bound is one frame, which the MTU decides: checked later. */
static const struct nla_policy zec_rate_policy[ZEC_A_RATE_MAX + 1] = {
	[ZEC_A_RATE_PERCENT]	= NLA_POLICY_RANGE(NLA_U32, 1, 100),
	[ZEC_A_RATE_BPS]	= NLA_POLICY_FULL_RANGE(NLA_U64,
							&zec_rate_bps_range),
	[ZEC_A_RATE_PPS]	= NLA_POLICY_FULL_RANGE(NLA_U64,
							&zec_rate_pps_range),
	[ZEC_A_RATE_BURST]	= { .type = NLA_U32 },
	[ZEC_A_RATE_MODE]	= NLA_POLICY_MAX(NLA_U32, ZEC_RATE_MODE_MAX),
};

static struct netlink_range_validation zec_probe_interval_range __ro_after_init = {
	.min = ZEC_PROBE_INTERVAL_MS_MIN,
	.max = ZEC_PROBE_INTERVAL_MS_MAX,
};

static struct netlink_range_validation zec_probe_damp_ms_range __ro_after_init = {
	.min = 1,
	.max = ZEC_PROBE_DAMP_MS_MAX,
};

static const struct nla_policy zec_probe_policy[ZEC_A_PROBE_MAX + 1] = {
	[ZEC_A_PROBE_TARGET_IPV4]	= { .type = NLA_BE32 },
	[ZEC_A_PROBE_TARGET_IPV6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[ZEC_A_PROBE_INTERVAL_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_interval_range),
	[ZEC_A_PROBE_MISS_COUNT]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   ZEC_PROBE_COUNT_MAX),
	[ZEC_A_PROBE_RECOVER_COUNT]	= NLA_POLICY_RANGE(NLA_U32, 1,
							   ZEC_PROBE_COUNT_MAX),
	[ZEC_A_PROBE_DAMP_COUNT]	= NLA_POLICY_MAX(NLA_U32,
							 ZEC_PROBE_DAMP_COUNT_MAX),
	[ZEC_A_PROBE_DAMP_WINDOW_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_damp_ms_range),
	[ZEC_A_PROBE_DAMP_HOLD_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&zec_probe_damp_ms_range),
};

/* Attributes only ever sent by the kernel are absent: strict rejects them. */
static const struct nla_policy zec_dev_policy[ZEC_A_DEV_MAX + 1] = {
	[ZEC_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[ZEC_A_DEV_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[ZEC_A_DEV_MODE]	= ZEC_CFG_POLICY_MODE,
	[ZEC_A_DEV_UP_DELAY_MS]	= ZEC_CFG_POLICY_UP_DELAY_MS,
	[ZEC_A_DEV_GARP_COUNT]	= ZEC_CFG_POLICY_GARP_COUNT,
	[ZEC_A_DEV_PORT]	= NLA_POLICY_NESTED(zec_port_policy),
	[ZEC_A_DEV_RATE]	= NLA_POLICY_NESTED(zec_rate_policy),
	[ZEC_A_DEV_PROBE]	= NLA_POLICY_NESTED(zec_probe_policy),
	[ZEC_A_DEV_RX_PORT]	= ZEC_CFG_POLICY_RX_PORT,
	[ZEC_A_DEV_MAC_TABLE_SIZE] = ZEC_CFG_POLICY_MAC_TABLE_SIZE,
	[ZEC_A_DEV_MAC_AGEING_MS] = ZEC_CFG_POLICY_MAC_AGEING_MS,
	[ZEC_A_DEV_ANNOUNCE_COUNT] = ZEC_CFG_POLICY_ANNOUNCE_COUNT,
	[ZEC_A_DEV_ANNOUNCE_INTERVAL_MS] = ZEC_CFG_POLICY_ANNOUNCE_INTERVAL_MS,
	[ZEC_A_DEV_ANNOUNCE_RATE] = ZEC_CFG_POLICY_ANNOUNCE_RATE,
};

static int zec_nl_fill(struct sk_buff *skb, struct zec_dev *zec, u32 portid,
		       u32 seq, int flags, u8 cmd, struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &zec_genl_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (zec_msg_put_dev(skb, zec, cmd == ZEC_CMD_STATS_GET)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The zec device a request names by exactly one of ifindex and ifname. */
static struct zec_dev *zec_nl_lookup(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[ZEC_A_DEV_IFINDEX];
	struct nlattr *ifname = attrs[ZEC_A_DEV_IFNAME];
	struct net_device *dev;

	ASSERT_RTNL();
	if (ifindex && ifname) {
		NL_SET_ERR_MSG_ATTR(extack, ifname,
				    "Name the zec device by ifindex or ifname, not both");
		return ERR_PTR(-EINVAL);
	}
	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(extack, "Missing zec device: give ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (ifindex)
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
	else
		dev = __dev_get_by_name(net, nla_data(ifname));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname, "No such device");
		return ERR_PTR(-ENODEV);
	}
	if (dev->rtnl_link_ops != &zec_link_ops) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "Not a zec device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/*
 * Every doit runs under RTNL, with the device its request names looked up
 * here into info->user_ptr[0]; post_doit unlocks.
 */
static int zec_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	struct zec_dev *zec;

	rtnl_lock();
	zec = zec_nl_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(zec)) {
		rtnl_unlock();
		return PTR_ERR(zec);
	}
	info->user_ptr[0] = zec;
	return 0;
}

static void zec_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	rtnl_unlock();
}

static int zec_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zec_dev *zec = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(zec_msg_size(zec->nr_ports), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = zec_nl_fill(msg, zec, info->snd_portid, info->snd_seq, 0,
			  info->genlhdr->cmd, NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * A dump resumes at the device after the last one sent (cb->args[0]
 * counts them): a device created or deleted in between shifts that
 * count. Its sequence is the namespace's device list sequence, which
 * every device registered or unregistered bumps, plus the count of all
 * zec notifications so far, which every change of a zec device bumps.
 * Neither ever goes down, so any such event between two parts of a dump
 * changes the sum, and genl_dump_check_consistent() flags the next
 * message, or the final NLMSG_DONE, NLM_F_DUMP_INTR. (A sum of the
 * devices' own generations would go down as a device leaves.)
 */
static int zec_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	long idx = 0, start = cb->args[0];
	struct net_device *dev;
	unsigned int seq;
	int err = 0;

	rtnl_lock();
	seq = net->dev_base_seq + zec_ntf_seq();
	cb->seq = seq ?: 1;

	for_each_netdev(net, dev) {
		if (dev->rtnl_link_ops != &zec_link_ops)
			continue;
		if (idx < start) {
			idx++;
			continue;
		}
		err = zec_nl_fill(skb, netdev_priv(dev),
				  NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  info->op.cmd, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	/* A device too large for an empty message can never be sent. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * A device with many ports does not fit the default first dump buffer
 * (NLMSG_GOODSIZE), and a dump cannot split one device's message.
 */
static int zec_nl_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = zec_msg_size(ZEC_MAX_PORTS);
	return 0;
}

/*
 * ZEC_CMD_MAC_GET: the source MACs of the device the request names, as
 * many to a message as fit, at least one message. cb->args[0] is the next
 * slot, cb->args[1] says a message went out. The device's generation is
 * the dump's sequence: a table replaced between two parts (mode or size
 * changed, which notifies) flags the next part NLM_F_DUMP_INTR.
 */
static int zec_nl_mac_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	unsigned int i = cb->args[0], slots;
	const struct zec_table *table;
	struct zec_mac_entry entry;
	unsigned long ageing;
	struct zec_macs *macs;
	struct zec_dev *zec;
	void *hdr;
	int err;

	rtnl_lock();
	zec = zec_nl_lookup(sock_net(skb->sk), info->attrs, cb->extack);
	err = PTR_ERR_OR_ZERO(zec);
	if (err)
		goto out;
	macs = rtnl_dereference(zec->macs);
	slots = macs ? zec_macs_slots(macs) : 0;
	if (i >= slots && cb->args[1])
		goto out;
	cb->seq = zec->generation ?: 1;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &zec_genl_family, NLM_F_MULTI, ZEC_CMD_MAC_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out;
	}
	genl_dump_check_consistent(cb, hdr);
	if (zec_msg_put_dev_id(skb, zec)) {
		genlmsg_cancel(skb, hdr);
		err = -EMSGSIZE;
		goto out;
	}
	table = rtnl_dereference(zec->table);
	ageing = msecs_to_jiffies(zec->mac_ageing_ms);
	for (; i < slots; i++)
		if (zec_macs_entry(macs, i, ageing, &entry) &&
		    zec_msg_put_mac(skb, &entry,
				    zec_table_head(table, entry.node)))
			break;
	genlmsg_end(skb, hdr);
	cb->args[0] = i;
	cb->args[1] = 1;
	err = skb->len;
out:
	rtnl_unlock();
	return err;
}

/* Nothing changes unless everything requested can. */
static int zec_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;

	if (attrs[ZEC_A_DEV_PORT] || attrs[ZEC_A_DEV_RATE] ||
	    attrs[ZEC_A_DEV_PROBE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ZEC_A_DEV_PORT] ?:
				    attrs[ZEC_A_DEV_RATE] ?: attrs[ZEC_A_DEV_PROBE],
				    "Ports, rate caps and probes have commands of their own");
		return -EINVAL;
	}
	return zec_cfg_set(info->user_ptr[0], attrs, zec_msg_cfg_map,
			   info->extack);
}

/* The netdev named by the port nest, and the nest's parsed attributes. */
static struct net_device *zec_nl_port_dev(struct genl_info *info,
					  struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[ZEC_A_DEV_PORT];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct net_device *pdev;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing port: give a port nest");
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, ZEC_A_PORT_MAX, nest, zec_port_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (!tb[ZEC_A_PORT_IFINDEX] == !tb[ZEC_A_PORT_IFNAME]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Name the port by exactly one of ifindex and ifname");
		return ERR_PTR(-EINVAL);
	}
	if (tb[ZEC_A_PORT_NODE_OVERRIDE] && tb[ZEC_A_PORT_NODE_AUTO]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_NODE_AUTO],
				    "Node override and auto exclude each other");
		return ERR_PTR(-EINVAL);
	}
	if (tb[ZEC_A_PORT_NODE_OVERRIDE] &&
	    !zec_node_valid(nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_NODE_OVERRIDE],
				    "No such NUMA node on this machine");
		return ERR_PTR(-EINVAL);
	}
	if (tb[ZEC_A_PORT_IFINDEX])
		pdev = __dev_get_by_index(net,
					  nla_get_u32(tb[ZEC_A_PORT_IFINDEX]));
	else
		pdev = __dev_get_by_name(net, nla_data(tb[ZEC_A_PORT_IFNAME]));
	if (!pdev) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ZEC_A_PORT_IFINDEX] ?:
				    tb[ZEC_A_PORT_IFNAME], "No such port device");
		return ERR_PTR(-ENODEV);
	}
	return pdev;
}

static struct zec_port *zec_nl_port_of(struct zec_dev *zec,
				       struct net_device *pdev,
				       struct netlink_ext_ack *extack)
{
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		if (port->dev == pdev)
			return port;
	NL_SET_ERR_MSG(extack, "Device is not a port of this zec device");
	return ERR_PTR(-ENOENT);
}

enum zec_nl_port_cmd { ZEC_NL_PORT_ADD, ZEC_NL_PORT_DEL, ZEC_NL_PORT_SET };

static void zec_nl_port_set(struct zec_port *port, struct nlattr **tb)
{
	int node = port->node_override;
	bool enabled = port->enabled;

	if (tb[ZEC_A_PORT_NODE_OVERRIDE])
		node = nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]);
	if (tb[ZEC_A_PORT_NODE_AUTO])
		node = NUMA_NO_NODE;
	if (tb[ZEC_A_PORT_ENABLED])
		enabled = nla_get_u8(tb[ZEC_A_PORT_ENABLED]);
	zec_port_configure(port, node, enabled);
}

static int zec_nl_port_cmd(struct genl_info *info, enum zec_nl_port_cmd cmd)
{
	struct nlattr *tb[ZEC_A_PORT_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct zec_port_opts opts;
	struct net_device *pdev;
	struct zec_port *port;

	pdev = zec_nl_port_dev(info, tb);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (cmd == ZEC_NL_PORT_ADD) {
		opts.node_override = tb[ZEC_A_PORT_NODE_OVERRIDE] ?
			nla_get_u32(tb[ZEC_A_PORT_NODE_OVERRIDE]) : NUMA_NO_NODE;
		opts.enabled = !tb[ZEC_A_PORT_ENABLED] ||
			       nla_get_u8(tb[ZEC_A_PORT_ENABLED]);
		return zec_port_add(zec, pdev, &opts, info->extack);
	}
	if (cmd == ZEC_NL_PORT_DEL)
		return zec_port_del(zec, pdev, info->extack);
	port = zec_nl_port_of(zec, pdev, info->extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	zec_nl_port_set(port, tb);
	return 0;
}

static int zec_nl_port_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_ADD);
}

static int zec_nl_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_DEL);
}

static int zec_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_port_cmd(info, ZEC_NL_PORT_SET);
}

/* A validated rate cap from the ZEC_A_DEV_RATE nest of a request. */
static int zec_nl_rate_parse(struct nlattr *nest, struct zec_rate_cfg *cfg,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ZEC_A_RATE_MAX + 1];
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing rate: give a rate nest");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ZEC_A_RATE_MAX, nest, zec_rate_policy,
			       extack);
	if (err)
		return err;
	memset(cfg, 0, sizeof(*cfg));
	if (tb[ZEC_A_RATE_PERCENT])
		cfg->percent = nla_get_u32(tb[ZEC_A_RATE_PERCENT]);
	if (tb[ZEC_A_RATE_BPS])
		cfg->bps = nla_get_u64(tb[ZEC_A_RATE_BPS]);
	if (tb[ZEC_A_RATE_PPS])
		cfg->pps = nla_get_u64(tb[ZEC_A_RATE_PPS]);
	if (!cfg->percent && !cfg->bps && !cfg->pps) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Give a rate: percent of link speed, bit/s or packets/s");
		return -EINVAL;
	}
	/* Its lower bound, one frame, is rate.c's to check. */
	if (tb[ZEC_A_RATE_BURST])
		cfg->burst = nla_get_u32(tb[ZEC_A_RATE_BURST]);
	if (tb[ZEC_A_RATE_MODE])
		cfg->mode = nla_get_u32(tb[ZEC_A_RATE_MODE]);
	return 0;
}

/* ZEC_CMD_RATE_SET (@set) and ZEC_CMD_RATE_DEL, of a port or the device. */
static int zec_nl_rate_cmd(struct genl_info *info, bool set)
{
	struct nlattr *tb[ZEC_A_PORT_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct nlattr **attrs = info->attrs;
	struct zec_port *port = NULL;
	struct net_device *pdev;
	struct zec_rate_cfg cfg;
	int err;

	if (attrs[ZEC_A_DEV_PORT]) {
		pdev = zec_nl_port_dev(info, tb);
		if (IS_ERR(pdev))
			return PTR_ERR(pdev);
		port = zec_nl_port_of(zec, pdev, info->extack);
		if (IS_ERR(port))
			return PTR_ERR(port);
	}
	if (!set) {
		if (attrs[ZEC_A_DEV_RATE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[ZEC_A_DEV_RATE],
					    "Deleting a cap takes no rate");
			return -EINVAL;
		}
		return zec_rate_del(zec, port, info->extack);
	}
	err = zec_nl_rate_parse(attrs[ZEC_A_DEV_RATE], &cfg, info->extack);
	if (err)
		return err;
	return zec_rate_set(zec, port, &cfg, info->extack);
}

static int zec_nl_rate_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_rate_cmd(info, true);
}

static int zec_nl_rate_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zec_nl_rate_cmd(info, false);
}

/* The targets of a probe nest for @dev, each checked, into @probe. */
static int zec_nl_probe_targets(struct net_device *dev,
				struct zec_probe *probe, struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int rem;

	nla_for_each_nested(attr, nest, rem) {
		int type = nla_type(attr);

		if (type != ZEC_A_PROBE_TARGET_IPV4 &&
		    type != ZEC_A_PROBE_TARGET_IPV6)
			continue;
		if (probe->nr_ipv4 + probe->nr_ipv6 == ZEC_PROBE_TARGETS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Too many probe targets: at most 16");
			return -E2BIG;
		}
		if (type == ZEC_A_PROBE_TARGET_IPV4) {
			probe->ipv4[probe->nr_ipv4] = nla_get_in_addr(attr);
			if (!zec_probe_target4_ok(dev, probe->ipv4[probe->nr_ipv4]))
				goto invalid;
			probe->nr_ipv4++;
		} else {
			probe->ipv6[probe->nr_ipv6] = nla_get_in6_addr(attr);
			if (!zec_probe_target6_ok(dev,
						  &probe->ipv6[probe->nr_ipv6]))
				goto invalid;
			probe->nr_ipv6++;
		}
	}
	if (!probe->nr_ipv4 && !probe->nr_ipv6) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Give at least one probe target");
		return -EINVAL;
	}
	return 0;
invalid:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "A probe target must be the unicast address of another host");
	return -EINVAL;
}

static u32 zec_nl_get_u32(struct nlattr *attr, u32 absent)
{
	return attr ? nla_get_u32(attr) : absent;
}

static int zec_nl_probe_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[ZEC_A_DEV_PROBE];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[ZEC_A_PROBE_MAX + 1];
	struct zec_dev *zec = info->user_ptr[0];
	struct zec_probe *probe;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "Missing probe configuration");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ZEC_A_PROBE_MAX, nest, zec_probe_policy,
			       extack);
	if (err)
		return err;
	if (!tb[ZEC_A_PROBE_INTERVAL_MS]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Missing probe interval");
		return -EINVAL;
	}
	/* Damping is all three or none: a lone window or hold would be lost. */
	if (zec_nl_get_u32(tb[ZEC_A_PROBE_DAMP_COUNT], 0) ?
	    !tb[ZEC_A_PROBE_DAMP_WINDOW_MS] || !tb[ZEC_A_PROBE_DAMP_HOLD_MS] :
	    tb[ZEC_A_PROBE_DAMP_WINDOW_MS] || tb[ZEC_A_PROBE_DAMP_HOLD_MS]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "Flap damping takes a count, a window and a hold time together");
		return -EINVAL;
	}
	probe = kzalloc(sizeof(*probe), GFP_KERNEL);
	if (!probe)
		return -ENOMEM;
	err = zec_nl_probe_targets(zec->dev, probe, nest, extack);
	if (err) {
		kfree(probe);
		return err;
	}
	probe->interval_ms = nla_get_u32(tb[ZEC_A_PROBE_INTERVAL_MS]);
	probe->miss_count = zec_nl_get_u32(tb[ZEC_A_PROBE_MISS_COUNT],
					   ZEC_PROBE_DEFAULT_MISS_COUNT);
	probe->recover_count = zec_nl_get_u32(tb[ZEC_A_PROBE_RECOVER_COUNT],
					      ZEC_PROBE_DEFAULT_RECOVER_COUNT);
	probe->damp_count = zec_nl_get_u32(tb[ZEC_A_PROBE_DAMP_COUNT], 0);
	if (probe->damp_count) {
		probe->damp_window_ms =
			nla_get_u32(tb[ZEC_A_PROBE_DAMP_WINDOW_MS]);
		probe->damp_hold_ms = nla_get_u32(tb[ZEC_A_PROBE_DAMP_HOLD_MS]);
	}
	zec_probe_set(zec, probe, extack);
	return 0;
}

static int zec_nl_probe_del(struct sk_buff *skb, struct genl_info *info)
{
	return zec_probe_del(info->user_ptr[0], info->extack);
}

/* The dumps need .start, which small ops lack. */
static const struct genl_ops zec_nl_dump_ops[] = {
	{
		.cmd = ZEC_CMD_DEV_GET,
		.doit = zec_nl_get_doit,
		.start = zec_nl_dump_start,
		.dumpit = zec_nl_dump,
	},
	{
		.cmd = ZEC_CMD_STATS_GET,
		.doit = zec_nl_get_doit,
		.start = zec_nl_dump_start,
		.dumpit = zec_nl_dump,
	},
	{
		.cmd = ZEC_CMD_MAC_GET,
		.dumpit = zec_nl_mac_dump,
	},
};

static const struct genl_small_ops zec_nl_ops[] = {
	{
		.cmd = ZEC_CMD_DEV_SET,
		.doit = zec_nl_dev_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_ADD,
		.doit = zec_nl_port_add_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_DEL,
		.doit = zec_nl_port_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PORT_SET,
		.doit = zec_nl_port_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_RATE_SET,
		.doit = zec_nl_rate_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_RATE_DEL,
		.doit = zec_nl_rate_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PROBE_SET,
		.doit = zec_nl_probe_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ZEC_CMD_PROBE_DEL,
		.doit = zec_nl_probe_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group zec_nl_mcgrps[] = {
	/* Events name ports, addresses' owners and failovers: admins only. */
	{ .name = ZEC_MCGRP_MONITOR, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family zec_genl_family __ro_after_init = {
	.name = ZEC_GENL_NAME,
	.version = ZEC_GENL_VERSION,
	.maxattr = ZEC_A_DEV_MAX,
	.policy = zec_dev_policy,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = zec_nl_pre_doit,
	.post_doit = zec_nl_post_doit,
	.module = THIS_MODULE,
	.ops = zec_nl_dump_ops,
	.n_ops = ARRAY_SIZE(zec_nl_dump_ops),
	.small_ops = zec_nl_ops,
	.n_small_ops = ARRAY_SIZE(zec_nl_ops),
	.mcgrps = zec_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(zec_nl_mcgrps),
};

int __init zec_genl_init(void)
{
	return genl_register_family(&zec_genl_family);
}

void zec_genl_exit(void)
{
	genl_unregister_family(&zec_genl_family);
}

