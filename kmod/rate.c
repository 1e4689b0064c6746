// SPDX-License-Identifier: GPL-2.0-only
/*
 * Egress rate caps of ports: a percentage of the link speed or an absolute
 * bit/s and packet/s, policed (excess dropped) or shaped (excess held).
 *
 * This file is the configuration: what the operator set, on the device
 * and on each port, and the struct zec_rate derived from it, the port's
 * link speed and zec0's MTU, which it publishes by RCU on the port and
 * derives again when one of those changes. Under RTNL throughout.
 * shaper.c enforces what is published; nothing there calls back here.
 */

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "zec.h"

#define ZEC_RATE_BURST_DEFAULT	(64 * 1024)

int zec_rate_port_init(struct zec_port *port)
{
	return zec_shaper_init(port);
}

/* After the last transmit through @port. */
void zec_rate_port_stop(struct zec_port *port)
{
	zec_shaper_stop(port);
}

void zec_rate_port_release(struct zec_port *port)
{
	kfree(port->rate_cfg);
	kfree(rcu_dereference_protected(port->rate, true));
	zec_shaper_free(port);
}

/* bit/s of @cfg on a link of @speed Mbit/s; 0 if it cannot say. */
static u64 zec_rate_cfg_bps(const struct zec_rate_cfg *cfg, u32 speed)
{
	if (cfg->percent && speed != ZEC_SPEED_UNKNOWN)
		return div_u64((u64)speed * 1000000 * cfg->percent, 100);
	return cfg->bps;
}

/* One frame: the most a packet of zec0 takes on the wire, headers aside. */
static u32 zec_rate_frame(const struct zec_dev *zec)
{
	return zec->dev->mtu + ETH_HLEN;
}

/* The cap @port follows: its own, else the device default; NULL if none. */
static const struct zec_rate_cfg *zec_rate_cfg_of(const struct zec_port *port)
{
	return port->rate_cfg ?: port->zec->rate_cfg;
}

/* NULL if @port has no cap, or its cap caps nothing on it now. */
static struct zec_rate *zec_rate_new(struct zec_port *port)
{
	const struct zec_rate_cfg *cfg = zec_rate_cfg_of(port);
	u32 frame = zec_rate_frame(port->zec);
	struct zec_rate *rate;
	u64 bps;

	if (!cfg)
		return NULL;
	bps = zec_rate_cfg_bps(cfg, zec_port_speed_mbps(port));
	if (!bps && !cfg->pps)
		return NULL;
	rate = kzalloc(sizeof(*rate), GFP_KERNEL);
	if (!rate)
		return ERR_PTR(-ENOMEM);
	rate->bps = bps;
	rate->pps = cfg->pps;
	rate->shape = cfg->mode == ZEC_RATE_MODE_SHAPE;
	if (bps)
		rate->byte_ns_fp = div64_u64((8 * NSEC_PER_SEC) << ZEC_RATE_SHIFT,
					     bps);
	if (cfg->pps)
		rate->packet_ns_fp = div64_u64(NSEC_PER_SEC << ZEC_RATE_SHIFT,
					       cfg->pps);
	/* A burst set under a smaller MTU still lets a full frame through. */
	rate->burst = max_t(u64, cfg->burst ?:
			    max_t(u64, ZEC_RATE_BURST_DEFAULT,
				  div_u64(bps, 8 * MSEC_PER_SEC)), frame);
	/* With packets/s only, the burst is that many full frames. */
	rate->burst_ns = max(mul_u64_u32_shr(rate->byte_ns_fp, rate->burst,
					     ZEC_RATE_SHIFT),
			     mul_u64_u32_shr(rate->packet_ns_fp,
					     rate->burst / frame,
					     ZEC_RATE_SHIFT));
	return rate;
}

static bool zec_rate_same(const struct zec_rate *a, const struct zec_rate *b)
{
	if (!a || !b)
		return a == b;
	return a->bps == b->bps && a->pps == b->pps && a->burst == b->burst &&
	       a->burst_ns == b->burst_ns && a->shape == b->shape;
}

/* Put @rate, from zec_rate_new(), in force on @port. */
static void zec_rate_publish(struct zec_port *port, struct zec_rate *rate)
{
	struct zec_rate *old = rtnl_dereference(port->rate);

	if (zec_rate_same(rate, old)) {
		kfree(rate);
		return;
	}
	/* A new cap starts with a full burst. */
	atomic64_set(&port->rate_tat, 0);
	rcu_assign_pointer(port->rate, rate);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * Publish the cap in force on @port: its own, else the device default,
 * at its current link speed and zec0's MTU. Under RTNL. On failure the
 * cap in force stays.
 */
int zec_rate_apply(struct zec_port *port)
{
	struct zec_rate *rate = zec_rate_new(port);

	if (IS_ERR(rate))
		return PTR_ERR(rate);
	zec_rate_publish(port, rate);
	return 0;
}

/* zec_rate_apply() where the change that calls for it cannot fail. */
void zec_rate_refresh(struct zec_port *port)
{
	if (zec_rate_apply(port))
		netdev_warn_once(port->zec->dev,
				 "%s: no memory for its rate cap at the new link speed or MTU: the old one stays\n",
				 port->dev->name);
}

/* zec0's MTU changed: a pps-only cap's burst is counted in frames. */
void zec_rate_mtu_changed(struct zec_dev *zec)
{
	struct zec_port *port;

	list_for_each_entry(port, &zec->ports, list)
		zec_rate_refresh(port);
}

/* A percentage needs a speed or a fallback on every port it applies to. */
static int zec_rate_check_speed(struct zec_port *port,
				const struct zec_rate_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	if (!cfg->percent || cfg->bps ||
	    zec_port_speed_mbps(port) != ZEC_SPEED_UNKNOWN)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "Link speed of a port is unknown: give an absolute rate as fallback");
	return -EINVAL;
}

/* Does @p follow the cap of @port (NULL: the device default)? */
static bool zec_rate_follows(const struct zec_port *p,
			     const struct zec_port *port)
{
	return port ? p == port : !p->rate_cfg;
}

/*
 * Make @cfg (NULL: none) the cap of @port, or the device default, and put
 * it in force on every port that follows it; all or nothing. Consumes @cfg.
 */
static int zec_rate_replace(struct zec_dev *zec, struct zec_port *port,
			    struct zec_rate_cfg *cfg)
{
	struct zec_rate_cfg **slot = port ? &port->rate_cfg : &zec->rate_cfg;
	struct zec_rate *rates[ZEC_MAX_PORTS];
	struct zec_rate_cfg *old = *slot;
	unsigned int n = 0;
	struct zec_port *p;

	*slot = cfg;
	list_for_each_entry(p, &zec->ports, list) {
		if (!zec_rate_follows(p, port))
			continue;
		rates[n] = zec_rate_new(p);
		if (IS_ERR(rates[n])) {
			int err = PTR_ERR(rates[n]);

			while (n--)
				kfree(rates[n]);
			*slot = old;
			kfree(cfg);
			return err;
		}
		n++;
	}
	n = 0;
	list_for_each_entry(p, &zec->ports, list)
		if (zec_rate_follows(p, port))
			zec_rate_publish(p, rates[n++]);
	kfree(old);
	if (port)
		zec_ntf_port_state(port, ZEC_REASON_ADMIN);
	else
		zec_ntf_dev_change(zec);
	return 0;
}

/* Under RTNL. @port NULL: the device default. @cfg is validated. */
int zec_rate_set(struct zec_dev *zec, struct zec_port *port,
		 const struct zec_rate_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct zec_rate_cfg *copy;
	struct zec_port *p;
	int err;

	if (cfg->burst && cfg->burst < zec_rate_frame(zec)) {
		NL_SET_ERR_MSG(extack,
			       "Burst is smaller than one frame (MTU + Ethernet header)");
		return -EINVAL;
	}
	list_for_each_entry(p, &zec->ports, list) {
		if (!zec_rate_follows(p, port))
			continue;
		err = zec_rate_check_speed(p, cfg, extack);
		if (err)
			return err;
	}
	copy = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	return zec_rate_replace(zec, port, copy);
}

int zec_rate_del(struct zec_dev *zec, struct zec_port *port,
		 struct netlink_ext_ack *extack)
{
	struct zec_rate_cfg **slot = port ? &port->rate_cfg : &zec->rate_cfg;

	if (!*slot && port) {
		NL_SET_ERR_MSG(extack, "The port has no rate cap of its own");
		return -ENOENT;
	}
	if (!*slot) {
		NL_SET_ERR_MSG(extack, "The device has no default rate cap");
		return -ENOENT;
	}
	return zec_rate_replace(zec, port, NULL);
}
