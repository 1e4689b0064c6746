// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit side of a port's rate cap: the bucket, and the queues in
 * which a shaping cap holds packets back. rate.c decides what the cap is;
 * this file only enforces what it published.
 *
 * The bucket is a GCRA (virtual scheduling) in one atomic64 per port: the
 * time at which everything the cap let pass has drained at the cap's rate.
 * A packet passes while that time is at most the burst ahead of now, and
 * pushes it on by the packet's cost; a lost race costs one more cmpxchg.
 * No per-CPU batch that would let the CPUs together overshoot.
 *
 * A shaping cap gives each packet over the cap the time it may leave (its
 * departure time: the GCRA's, so the port as a whole keeps the cap) and
 * appends it to a FIFO of the submitting CPU. Each CPU has one FIFO and
 * one CPU-pinned softirq hrtimer per port, and only that CPU arms it: at
 * the FIFO's first packet, and again from the callback while packets
 * remain. So
 *  - held packets leave from the CPU that submitted them, counted in its
 *    node's counters, sent on its node's memory;
 *  - no CPU starts a timer whose callback runs elsewhere (one timer per
 *    port, armed by every CPU, raced its own callback's re-arm);
 *  - a CPU that cannot keep up holds back only its own packets.
 * A callback sends at most ZEC_SHAPER_BUDGET packets, then re-arms for
 * now, after the current timer run, so that the softirq returns and
 * ksoftirqd, the scheduler and other softirqs get their turn.
 *
 * A FIFO holds at most ZEC_SHAPER_QLEN packets, and a packet that would
 * wait over ZEC_SHAPE_MAX_DELAY_NS is dropped before it is charged:
 * forwarded traffic has no socket whose memory pushes back. Within one
 * CPU's FIFO departure times only grow (the GCRA's time only grows and
 * the CPU's clock too), so the head is always the first due; a packet
 * that conforms at once still goes behind packets its CPU holds.
 *
 * The transmit path and the callback of a CPU both run with BH off on
 * that CPU, which orders them. The FIFO's lock is taken all the same:
 * when a CPU goes offline the hrtimer core moves its timers to another
 * CPU, whose callback then drains the FIFO while the CPU may come back;
 * uncontended otherwise, on a cache line only its CPU writes.
 *
 * EDT (departure times in skb->tstamp, fq on the port) was the other
 * way: it needs fq configured on every port, puts all CPUs on that
 * qdisc's lock, and sends each packet from whichever CPU runs the qdisc
 * when it is due.
 *
 * A held packet keeps its socket's memory charged, so TCP's small queue
 * check throttles the sender instead of the cap dropping its segments.
 */

#include <linux/if_ether.h>
#include <linux/math64.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "zec.h"

/* FCS, preamble and start delimiter, inter-frame gap. */
#define ZEC_WIRE_OVERHEAD	(ETH_FCS_LEN + 8 + 12)
/* A shaper holds a packet no longer than this; later ones are dropped. */
#define ZEC_SHAPE_MAX_DELAY_NS	(50 * NSEC_PER_MSEC)
/* Packets one callback sends before it lets the CPU do something else. */
#define ZEC_SHAPER_BUDGET	64

struct zec_skb_cb {
	u64 depart_ns;
	bool local;
};

static struct zec_skb_cb *zec_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct zec_skb_cb) > sizeof(skb->cb));
	return (struct zec_skb_cb *)skb->cb;
}

/* Headers each GSO segment repeats: outer ones up to the transport's. */
static u32 zec_gso_hdr_len(const struct sk_buff *skb)
{
	bool tcp = skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6);

	/* A tunnel's segments repeat its headers and the inner ones. */
	if (skb->encapsulation)
		return skb_inner_transport_offset(skb) +
		       (tcp ? inner_tcp_hdrlen(skb) : sizeof(struct udphdr));
	return skb_transport_offset(skb) +
	       (tcp ? tcp_hdrlen(skb) : sizeof(struct udphdr));
}

/* Bytes and frames @skb takes on the wire, each GSO segment counted. */
static u32 zec_wire_bytes(const struct sk_buff *skb, u32 *frames)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 segs = 1, hdr = 0;

	if (skb_is_gso(skb) && shinfo->gso_segs > 1) {
		segs = shinfo->gso_segs;
		hdr = zec_gso_hdr_len(skb);
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

static void zec_shaper_hold(struct zec_shaper *sh, struct sk_buff *skb,
			    u64 depart_ns, bool local)
{
	bool first;

	zec_skb_cb(skb)->depart_ns = depart_ns;
	zec_skb_cb(skb)->local = local;
	spin_lock(&sh->held.lock);
	first = skb_queue_empty(&sh->held);
	__skb_queue_tail(&sh->held, skb);
	/* The timer runs while anything is held: the first packet arms it. */
	if (first)
		hrtimer_start(&sh->timer, ns_to_ktime(depart_ns),
			      HRTIMER_MODE_ABS_PINNED_SOFT);
	spin_unlock(&sh->held.lock);
}

/* Transmit path, under RCU (BH): may @skb go now? If not, it is consumed. */
enum zec_rate_verdict zec_rate_check(struct zec_port *port,
				     const struct zec_rate *rate,
				     struct sk_buff *skb, bool local)
{
	struct zec_shaper *sh = this_cpu_ptr(port->shaper);
	u64 now, wait;

	if (skb_queue_len_lockless(&sh->held) >= ZEC_SHAPER_QLEN)
		goto drop;
	now = ktime_get_ns();
	wait = zec_rate_charge(&port->rate_tat, now,
			       zec_rate_cost_ns(rate, skb), rate->burst_ns,
			       rate->shape ? ZEC_SHAPE_MAX_DELAY_NS : 0);
	if (unlikely(wait == U64_MAX))
		goto drop;
	/* Behind packets this CPU holds, a packet waits its turn too. */
	if (likely(!wait && skb_queue_empty_lockless(&sh->held)))
		return ZEC_RATE_PASS;
	zec_count_rate(port, false);
	zec_shaper_hold(sh, skb, now + wait, local);
	return ZEC_RATE_HELD;

drop:
	zec_count_rate(port, true);
	kfree_skb(skb);
	return ZEC_RATE_DROP;
}

static enum hrtimer_restart zec_shaper_run(struct hrtimer *timer)
{
	struct zec_shaper *sh = container_of(timer, struct zec_shaper, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	struct sk_buff_head due;
	struct sk_buff *skb;
	u64 now = ktime_get_ns();

	__skb_queue_head_init(&due);
	spin_lock(&sh->held.lock);
	while (skb_queue_len(&due) < ZEC_SHAPER_BUDGET &&
	       (skb = skb_peek(&sh->held)) &&
	       zec_skb_cb(skb)->depart_ns <= now) {
		__skb_unlink(skb, &sh->held);
		__skb_queue_tail(&due, skb);
	}
	skb = skb_peek(&sh->held);
	if (skb) {
		/*
		 * Over budget, not before the next timer run: its time is
		 * taken after this run's, which therefore ends here.
		 */
		hrtimer_set_expires(timer,
				    ns_to_ktime(max(zec_skb_cb(skb)->depart_ns,
						    ktime_get_ns())));
		ret = HRTIMER_RESTART;
	}
	spin_unlock(&sh->held.lock);

	while ((skb = __skb_dequeue(&due)))
		zec_port_send(sh->port, skb, zec_skb_cb(skb)->local);
	return ret;
}

int zec_shaper_init(struct zec_port *port)
{
	unsigned int cpu;

	port->shaper = alloc_percpu(struct zec_shaper);
	if (!port->shaper)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct zec_shaper *sh = per_cpu_ptr(port->shaper, cpu);

		sh->port = port;
		skb_queue_head_init(&sh->held);
		hrtimer_init(&sh->timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_ABS_PINNED_SOFT);
		sh->timer.function = zec_shaper_run;
	}
	return 0;
}

/* Packets the shaper of @port holds on @cpu now. */
u32 zec_shaper_queued(const struct zec_port *port, unsigned int cpu)
{
	return skb_queue_len_lockless(&per_cpu_ptr(port->shaper, cpu)->held);
}

/*
 * After the last transmit through @port: drop what its shapers still
 * hold, counted as rate drops before the port's counters are folded into
 * the device's, so that every packet zec0 took is sent or counted.
 */
void zec_shaper_stop(struct zec_port *port)
{
	struct zec_port_pcpu_stats *stats;
	unsigned int cpu;
	u64 dropped = 0;

	for_each_possible_cpu(cpu) {
		struct zec_shaper *sh = per_cpu_ptr(port->shaper, cpu);

		hrtimer_cancel(&sh->timer);
		dropped += skb_queue_len(&sh->held);
		skb_queue_purge(&sh->held);
	}
	/* The transmit path updates these in softirq: keep it out. */
	local_bh_disable();
	stats = this_cpu_ptr(port->stats);
	u64_stats_update_begin(&stats->syncp);
	u64_stats_add(&stats->tx_drop_rate, dropped);
	u64_stats_update_end(&stats->syncp);
	local_bh_enable();
}

void zec_shaper_free(struct zec_port *port)
{
	free_percpu(port->shaper);
}
