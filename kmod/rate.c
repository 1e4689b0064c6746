// SPDX-License-Identifier: GPL-2.0-only
/*
 * Egress rate caps of ports: a percentage of the link speed or an absolute
 * bit/s and packet/s, policed (excess dropped) or shaped (excess held).
 *
 * The bucket is a GCRA (virtual scheduling) in one atomic64 per port: the
 * time at which everything the cap let pass has drained at the cap's rate.
 * A packet passes while that time is at most the burst ahead of now, and
 * pushes it on by the packet's cost; a lost race costs one more cmpxchg.
 * No lock, no per-CPU batch that would let the CPUs together overshoot.
 * The configuration is read under RCU from the port; the control path
 * (RTNL) replaces it whole.
 *
 * A shaping cap gives each packet over the cap the time it may leave and
 * pushes it onto a lock-free list; an hrtimer (softirq) sends it then.
 * The held packet keeps its socket's memory charged, so TCP's small queue
 * check throttles the sender instead of the cap dropping its segments.
 */

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "zec.h"

#define ZEC_RATE_SHIFT		20
/* FCS, preamble and start delimiter, inter-frame gap. */
#define ZEC_WIRE_OVERHEAD	(ETH_FCS_LEN + 8 + 12)
#define ZEC_RATE_BURST_DEFAULT	(64 * 1024)
/* A shaper holds a packet no longer than this; later ones are dropped. */
#define ZEC_SHAPE_MAX_DELAY_NS	(50 * NSEC_PER_MSEC)

struct zec_skb_cb {
	u64 depart_ns;
	bool local;
};

static struct zec_skb_cb *zec_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct zec_skb_cb) > sizeof(skb->cb));
	return (struct zec_skb_cb *)skb->cb;
}

/* Bytes and frames @skb takes on the wire, each GSO segment counted. */
static u32 zec_wire_bytes(const struct sk_buff *skb, u32 *frames)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 segs = 1, hdr = 0;

	if (skb_is_gso(skb) && shinfo->gso_segs > 1) {
		segs = shinfo->gso_segs;
		hdr = skb_transport_offset(skb);
		if (shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))
			hdr += tcp_hdrlen(skb);
		else
			hdr += sizeof(struct udphdr);
	}
	*frames = segs;
	return max_t(u32, skb->len, ETH_ZLEN) + (segs - 1) * hdr +
	       segs * ZEC_WIRE_OVERHEAD;
}

static u64 zec_rate_cost_ns(const struct zec_rate *rate,
			    const struct sk_buff *skb)
{
	u32 frames, bytes = zec_wire_bytes(skb, &frames);

	return max(mul_u64_u32_shr(rate->byte_ns_fp, bytes, ZEC_RATE_SHIFT),
		   mul_u64_u32_shr(rate->packet_ns_fp, frames, ZEC_RATE_SHIFT));
}

/*
 * Charge @cost to the bucket. Returns how long the packet must wait before
 * it conforms (0: now), or U64_MAX, charging nothing, if over @max_wait.
 */
static u64 zec_rate_charge(atomic64_t *tat, u64 now, u64 cost, u64 burst_ns,
			   u64 max_wait)
{
	s64 old = atomic64_read(tat);
	u64 start, wait;

	do {
		start = max_t(u64, old, now);
		wait = start - now > burst_ns ? start - now - burst_ns : 0;
		if (wait > max_wait)
			return U64_MAX;
	} while (!atomic64_try_cmpxchg(tat, &old, start + cost));
	return wait;
}

static void zec_count_rate(struct zec_port *port, bool dropped)
{
	struct zec_port_pcpu_stats *stats = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&stats->syncp);
	if (dropped)
		u64_stats_inc(&stats->tx_drop_rate);
	else
		u64_stats_inc(&stats->tx_rate_delayed);
	u64_stats_update_end(&stats->syncp);
}

static void zec_shaper_hold(struct zec_port *port, struct sk_buff *skb,
			    u64 depart_ns, bool local)
{
	struct zec_shaper *shaper = &port->shaper;

	zec_skb_cb(skb)->depart_ns = depart_ns;
	zec_skb_cb(skb)->local = local;
	zec_count_rate(port, false);
	llist_add(&skb->ll_node, &shaper->incoming);
	/* The timer runs while anything is queued: only the first arms it. */
	if (atomic_inc_return(&shaper->queued) == 1)
		hrtimer_start(&shaper->timer, ns_to_ktime(depart_ns),
			      HRTIMER_MODE_ABS_SOFT);
}

/* Transmit path, under RCU (BH): may @skb go now? If not, it is consumed. */
enum zec_rate_verdict zec_rate_check(struct zec_port *port,
				     const struct zec_rate *rate,
				     struct sk_buff *skb, bool local)
{
	u64 now = ktime_get_ns(), wait;

	wait = zec_rate_charge(&port->rate_tat, now,
			       zec_rate_cost_ns(rate, skb), rate->burst_ns,
			       rate->shape ? ZEC_SHAPE_MAX_DELAY_NS : 0);
	if (unlikely(wait == U64_MAX)) {
		zec_count_rate(port, true);
		kfree_skb(skb);
		return ZEC_RATE_DROP;
	}
	/* Behind packets already held, a packet waits its turn too. */
	if (likely(!wait && !atomic_read(&port->shaper.queued)))
		return ZEC_RATE_PASS;
	zec_shaper_hold(port, skb, now + wait, local);
	return ZEC_RATE_HELD;
}

static enum hrtimer_restart zec_shaper_run(struct hrtimer *timer)
{
	struct zec_shaper *shaper = container_of(timer, struct zec_shaper,
						 timer);
	struct zec_port *port = container_of(shaper, struct zec_port, shaper);
	struct sk_buff *skb, *next;
	struct llist_node *list;
	u64 now;

	for (;;) {
		list = llist_reverse_order(llist_del_all(&shaper->incoming));
		llist_for_each_entry_safe(skb, next, list, ll_node)
			__skb_queue_tail(&shaper->held, skb);
		now = ktime_get_ns();
		while ((skb = skb_peek(&shaper->held)) &&
		       zec_skb_cb(skb)->depart_ns <= now) {
			__skb_unlink(skb, &shaper->held);
			atomic_dec(&shaper->queued);
			zec_port_send(port, skb, zec_skb_cb(skb)->local);
		}
		if (skb) {
			hrtimer_set_expires(timer,
					    ns_to_ktime(zec_skb_cb(skb)->depart_ns));
			return HRTIMER_RESTART;
		}
		/* Pushed after the list was taken: take it again. */
		if (!atomic_read(&shaper->queued))
			return HRTIMER_NORESTART;
	}
}

void zec_rate_port_init(struct zec_port *port)
{
	struct zec_shaper *shaper = &port->shaper;

	init_llist_head(&shaper->incoming);
	__skb_queue_head_init(&shaper->held);
	hrtimer_init(&shaper->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	shaper->timer.function = zec_shaper_run;
}

/*
 * After the last transmit through @port: drop what its shaper still
 * holds, counted as rate drops before the port's counters are folded into
 * the device's, so that every packet zec0 took is sent or counted.
 */
void zec_rate_port_stop(struct zec_port *port)
{
	struct zec_shaper *shaper = &port->shaper;
	struct zec_port_pcpu_stats *stats;
	struct sk_buff *skb, *next;
	struct llist_node *list;
	u64 dropped = 0;

	hrtimer_cancel(&shaper->timer);
	list = llist_del_all(&shaper->incoming);
	llist_for_each_entry_safe(skb, next, list, ll_node) {
		kfree_skb(skb);
		dropped++;
	}
	while ((skb = __skb_dequeue(&shaper->held))) {
		kfree_skb(skb);
		dropped++;
	}
	atomic_set(&shaper->queued, 0);
	/* The transmit path updates these in softirq: keep it out. */
	local_bh_disable();
	stats = this_cpu_ptr(port->stats);
	u64_stats_update_begin(&stats->syncp);
	u64_stats_add(&stats->tx_drop_rate, dropped);
	u64_stats_update_end(&stats->syncp);
	local_bh_enable();
}

void zec_rate_port_release(struct zec_port *port)
{
	kfree(port->rate_cfg);
	kfree(rcu_dereference_protected(port->rate, true));
}

/* The port's link speed from ethtool; ZEC_SPEED_UNKNOWN if not known. */
u32 zec_port_speed_mbps(struct zec_port *port)
{
	struct ethtool_link_ksettings ks;

	ASSERT_RTNL();
	if (__ethtool_get_link_ksettings(port->dev, &ks) ||
	    ks.base.speed == SPEED_UNKNOWN || !ks.base.speed)
		return ZEC_SPEED_UNKNOWN;
	return ks.base.speed;
}

/* bit/s of @cfg on a link of @speed Mbit/s; 0 if it cannot say. */
static u64 zec_rate_cfg_bps(const struct zec_rate_cfg *cfg, u32 speed)
{
	if (cfg->percent && speed != ZEC_SPEED_UNKNOWN)
		return div_u64((u64)speed * 1000000 * cfg->percent, 100);
	return cfg->bps;
}

/* NULL if @cfg caps nothing on @port now. */
static struct zec_rate *zec_rate_new(struct zec_port *port,
				     const struct zec_rate_cfg *cfg)
{
	u64 bps = zec_rate_cfg_bps(cfg, zec_port_speed_mbps(port));
	u32 frame = port->zec->dev->mtu + ETH_HLEN;
	struct zec_rate *rate;

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
	rate->burst = cfg->burst ?:
		max_t(u64, ZEC_RATE_BURST_DEFAULT,
		      div_u64(bps, 8 * MSEC_PER_SEC));
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
	       a->shape == b->shape;
}

/*
 * Publish the cap in force on @port: its own, else the device default,
 * at its current link speed. Under RTNL; also when the speed may change.
 */
int zec_rate_apply(struct zec_port *port)
{
	const struct zec_rate_cfg *cfg = port->rate_cfg ?: port->zec->rate_cfg;
	struct zec_rate *old = rtnl_dereference(port->rate);
	struct zec_rate *rate = NULL;

	if (cfg) {
		rate = zec_rate_new(port, cfg);
		if (IS_ERR(rate))
			return PTR_ERR(rate);
	}
	if (zec_rate_same(rate, old)) {
		kfree(rate);
		return 0;
	}
	/* A new cap starts with a full burst. */
	atomic64_set(&port->rate_tat, 0);
	rcu_assign_pointer(port->rate, rate);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
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

/* The ports whose cap @port's or the device default's change touches. */
static int zec_rate_changed(struct zec_dev *zec, struct zec_port *port)
{
	struct zec_port *p;
	int err = 0;

	if (port) {
		err = zec_rate_apply(port);
		zec_ntf_port_state(port, ZEC_REASON_ADMIN);
		return err;
	}
	list_for_each_entry(p, &zec->ports, list)
		if (!p->rate_cfg)
			err = zec_rate_apply(p) ?: err;
	zec_ntf_dev_change(zec);
	return err;
}

/* Under RTNL. @port NULL: the device default. @cfg is validated. */
int zec_rate_set(struct zec_dev *zec, struct zec_port *port,
		 const struct zec_rate_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct zec_rate_cfg **slot = port ? &port->rate_cfg : &zec->rate_cfg;
	struct zec_rate_cfg *copy;
	struct zec_port *p;
	int err;

	list_for_each_entry(p, &zec->ports, list) {
		if (port ? p != port : !!p->rate_cfg)
			continue;
		err = zec_rate_check_speed(p, cfg, extack);
		if (err)
			return err;
	}
	copy = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	kfree(*slot);
	*slot = copy;
	return zec_rate_changed(zec, port);
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
	kfree(*slot);
	*slot = NULL;
	return zec_rate_changed(zec, port);
}
