// SPDX-License-Identifier: GPL-2.0-only
/*
 * A zec device's settings (mode, up delay, gratuitous ARPs, receive port,
 * MAC table, announcements): their bounds, read from the attributes of a
 * request, and applied all or nothing. The generic netlink family
 * (ZEC_A_DEV_*) and the rtnetlink link kind (IFLA_ZEC_*) both come here,
 * each with a map from setting to its own attribute type. Under RTNL.
 */

#include <linux/log2.h>
#include <linux/rtnetlink.h>

#include "zec.h"

/*
 * Read only once the module is loaded. Not const: 6.1's struct nla_policy
 * points to its range without const (const from 6.2 on).
 */
struct netlink_range_validation zec_cfg_up_delay_range __ro_after_init = {
	.max = ZEC_UP_DELAY_MS_MAX,
};

struct netlink_range_validation zec_cfg_mac_table_size_range __ro_after_init = {
	.min = ZEC_MAC_TABLE_SIZE_MIN,
	.max = ZEC_MAC_TABLE_SIZE_MAX,
};

struct netlink_range_validation zec_cfg_mac_ageing_range __ro_after_init = {
	.min = ZEC_MAC_AGEING_MS_MIN,
	.max = ZEC_MAC_AGEING_MS_MAX,
};

struct netlink_range_validation zec_cfg_announce_interval_range __ro_after_init = {
	.min = ZEC_ANNOUNCE_INTERVAL_MS_MIN,
	.max = ZEC_ANNOUNCE_INTERVAL_MS_MAX,
};

struct netlink_range_validation zec_cfg_announce_rate_range __ro_after_init = {
	.min = ZEC_ANNOUNCE_RATE_MIN,
	.max = ZEC_ANNOUNCE_RATE_MAX,
};

/* The settings in force, into @cfg. */
static void zec_cfg_get(struct zec_dev *zec, struct zec_cfg *cfg)
{
	enum zec_cfg_item item;

	for (item = 0; item < ZEC_CFG_NR; item++)
		cfg->val[item] = zec_cfg_val(zec, item);
	cfg->rx_port = zec->rx_port_cfg;
	cfg->macs = NULL;
}

/* The port a receive port attribute names: NULL for 0 (automatic). */
static struct zec_port *zec_cfg_rx_port(struct zec_dev *zec,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	u32 ifindex = nla_get_u32(attr);
	struct zec_port *port;

	if (!ifindex)
		return NULL;
	list_for_each_entry(port, &zec->ports, list)
		if (port->dev->ifindex == ifindex)
			return port;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "Receive port is not a port of this zec device");
	return ERR_PTR(-ENOENT);
}

/*
 * The settings in force, changed by what @attrs gives: @map[item] is the
 * attribute type of each setting in the caller's attribute space (0: it
 * has none), whose policy checked the bounds. Prepares what applying them
 * needs (independent mode's MAC table, of the size asked) so that
 * zec_cfg_commit() cannot fail; zec_cfg_abort() drops it instead.
 */
int zec_cfg_parse(struct zec_dev *zec, struct zec_cfg *cfg,
		  struct nlattr *const *attrs, const u16 *map,
		  struct netlink_ext_ack *extack)
{
	const struct nlattr *rx_attr = attrs[map[ZEC_CFG_RX_PORT]];
	struct zec_macs *macs = rtnl_dereference(zec->macs);
	enum zec_cfg_item item;
	u32 *size;

	zec_cfg_get(zec, cfg);
	for (item = 0; item < ZEC_CFG_NR; item++)
		if (map[item] && attrs[map[item]])
			cfg->val[item] = nla_get_u32(attrs[map[item]]);
	if (map[ZEC_CFG_RX_PORT] && rx_attr) {
		cfg->rx_port = zec_cfg_rx_port(zec, rx_attr, extack);
		if (IS_ERR(cfg->rx_port))
			return PTR_ERR(cfg->rx_port);
	}
	size = &cfg->val[ZEC_CFG_MAC_TABLE_SIZE];
	*size = roundup_pow_of_two(*size);
	if (cfg->val[ZEC_CFG_MODE] != ZEC_MODE_INDEPENDENT)
		return 0;
	if (macs && *size == zec->mac_table_size) {
		cfg->macs = macs;
		return 0;
	}
	cfg->macs = zec_macs_alloc(*size);
	return cfg->macs ? 0 : -ENOMEM;
}

/* Drops what zec_cfg_parse() prepared and nothing took. */
void zec_cfg_abort(struct zec_dev *zec, struct zec_cfg *cfg)
{
	if (cfg->macs != rcu_access_pointer(zec->macs))
		zec_macs_free(cfg->macs);
	cfg->macs = NULL;
}

/*
 * Apply what zec_cfg_parse() prepared to a registered device: move the
 * traffic if the mode or the receive port changed, and notify once if
 * anything did, on family zec's monitor group and to rtnetlink's listeners
 * (unless "ip link add" is creating it: its RTM_NEWLINK follows).
 */
void zec_cfg_commit(struct zec_dev *zec, struct zec_cfg *cfg)
{
	struct zec_macs *old_macs = rtnl_dereference(zec->macs);
	bool changed = false, remap;
	enum zec_cfg_item item;
	u32 *field;

	ASSERT_RTNL();
	if (cfg->macs != old_macs) {
		/* A round under way walks the old table. */
		zec_announce_stop(zec);
		rcu_assign_pointer(zec->macs, cfg->macs);
		zec_macs_free(old_macs);
	}
	remap = cfg->val[ZEC_CFG_MODE] != zec->mode ||
		cfg->rx_port != zec->rx_port_cfg;
	zec->rx_port_cfg = cfg->rx_port;
	for (item = 0; item < ZEC_CFG_NR; item++) {
		field = zec_cfg_field(zec, item);
		if (field && *field != cfg->val[item]) {
			*field = cfg->val[item];
			changed = true;
		}
	}
	/* First what the change moved, so that the notification says it. */
	if (remap)
		zec_ports_changed(zec, ZEC_REASON_ADMIN);
	if (changed || remap) {
		zec_ntf_dev_change(zec);
		zec_ntf_info_data(zec);
	}
}

/* A registered device's settings changed by @attrs: all or nothing. */
int zec_cfg_set(struct zec_dev *zec, struct nlattr *const *attrs,
		const u16 *map, struct netlink_ext_ack *extack)
{
	struct zec_cfg cfg;
	int err;

	err = zec_cfg_parse(zec, &cfg, attrs, map, extack);
	if (err)
		return err;
	zec_cfg_commit(zec, &cfg);
	return 0;
}
