// SPDX-License-Identifier: GPL-2.0-only
/*
 * The counters: per-CPU ones that transmit and receive bump without a
 * lock (xmit.c, send.c, shaper.c, port.c's receive handler), and here their readers:
 * a port's, a node's, the device's, and the device's totals, which keep
 * what ports that have left counted so that they never go backwards.
 *
 * Folding a leaving port into the retired totals runs under RTNL, and
 * the retired totals sit on a cache line of their own: a reader (which
 * may run without RTNL, ndo_get_stats64) takes no lock and retries when a
 * port left while it was summing; transmit never touches that line.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/topology.h>

#include "zec.h"

void zec_stats_init(struct zec_dev *zec)
{
	seqcount_init(&zec->retired.seq);
}

/* Adds what @port counted on @cpu to @sum. */
static void zec_stats_port_cpu(const struct zec_port *port, unsigned int cpu,
			       struct zec_port_stats *sum)
{
	const struct zec_port_pcpu_stats *s = per_cpu_ptr(port->stats, cpu);
	struct zec_port_stats v;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		v.tx_local_packets = u64_stats_read(&s->tx_local_packets);
		v.tx_local_bytes = u64_stats_read(&s->tx_local_bytes);
		v.tx_cross_packets = u64_stats_read(&s->tx_cross_packets);
		v.tx_cross_bytes = u64_stats_read(&s->tx_cross_bytes);
		v.tx_errors = u64_stats_read(&s->tx_errors);
		v.tx_drop_rate = u64_stats_read(&s->tx_drop_rate);
		v.tx_rate_delayed = u64_stats_read(&s->tx_rate_delayed);
		v.rx_packets = u64_stats_read(&s->rx_packets);
		v.rx_bytes = u64_stats_read(&s->rx_bytes);
		v.rx_reflections = u64_stats_read(&s->rx_reflections);
		v.rx_flood_duplicates = u64_stats_read(&s->rx_flood_duplicates);
		v.announcements = u64_stats_read(&s->announcements);
	} while (u64_stats_fetch_retry(&s->syncp, start));

	sum->tx_local_packets += v.tx_local_packets;
	sum->tx_local_bytes += v.tx_local_bytes;
	sum->tx_cross_packets += v.tx_cross_packets;
	sum->tx_cross_bytes += v.tx_cross_bytes;
	sum->tx_errors += v.tx_errors;
	sum->tx_drop_rate += v.tx_drop_rate;
	sum->tx_rate_delayed += v.tx_rate_delayed;
	sum->tx_rate_queued += zec_shaper_queued(port, cpu);
	sum->rx_packets += v.rx_packets;
	sum->rx_bytes += v.rx_bytes;
	sum->rx_reflections += v.rx_reflections;
	sum->rx_flood_duplicates += v.rx_flood_duplicates;
	sum->announcements += v.announcements;
}

/* Adds what @port counted on every CPU to @sum. */
void zec_stats_port(const struct zec_port *port, struct zec_port_stats *sum)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		zec_stats_port_cpu(port, cpu, sum);
}

/* Packets zec0 dropped on @cpu for want of a port. */
static u64 zec_stats_cpu_drops(const struct zec_dev *zec, unsigned int cpu)
{
	const struct zec_dev_pcpu_stats *s = per_cpu_ptr(zec->stats, cpu);
	unsigned int start;
	u64 drops;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		drops = u64_stats_read(&s->tx_drop_no_port);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return drops;
}

/* The device's totals, of its ports now and of those that have left. */
void zec_stats_dev(struct zec_dev *zec, struct zec_port_stats *total,
		   u64 *tx_drop_no_port)
{
	struct zec_port *port;
	unsigned int cpu, seq;
	u64 drops = 0;

	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&zec->retired.seq);
		*total = zec->retired.sum;
		list_for_each_entry_rcu(port, &zec->ports, list)
			zec_stats_port(port, total);
	} while (read_seqcount_retry(&zec->retired.seq, seq));
	rcu_read_unlock();

	for_each_possible_cpu(cpu)
		drops += zec_stats_cpu_drops(zec, cpu);
	*tx_drop_no_port = drops;
}

/* What the CPUs of @node counted, through the ports there are now. RTNL. */
void zec_stats_node(struct zec_dev *zec, int node, struct zec_port_stats *sum,
		    u64 *tx_drop_no_port)
{
	struct zec_port *port;
	unsigned int cpu;

	ASSERT_RTNL();
	*tx_drop_no_port = 0;
	for_each_cpu(cpu, cpumask_of_node(node)) {
		list_for_each_entry(port, &zec->ports, list)
			zec_stats_port_cpu(port, cpu, sum);
		*tx_drop_no_port += zec_stats_cpu_drops(zec, cpu);
	}
}

/* ndo_get_stats64 */
void zec_stats_get64(struct net_device *dev, struct rtnl_link_stats64 *stats)
{
	struct zec_port_stats total;
	u64 no_port;

	zec_stats_dev(netdev_priv(dev), &total, &no_port);
	stats->tx_packets = total.tx_local_packets + total.tx_cross_packets;
	stats->tx_bytes = total.tx_local_bytes + total.tx_cross_bytes;
	stats->tx_dropped = no_port + total.tx_errors + total.tx_drop_rate;
	stats->rx_packets = total.rx_packets;
	stats->rx_bytes = total.rx_bytes;
}

/*
 * @port's counters are final (no transmit or receive can reach it): fold
 * them into the retired totals and unlist it in one step for readers.
 * Writers are serialised by RTNL; a reader spins while a write is open,
 * so the write may be neither preempted nor interrupted by a softirq.
 */
void zec_stats_retire(struct zec_port *port)
{
	struct zec_dev *zec = port->zec;

	ASSERT_RTNL();
	local_bh_disable();
	preempt_disable();
	write_seqcount_begin(&zec->retired.seq);
	zec_stats_port(port, &zec->retired.sum);
	list_del_rcu(&port->list);
	write_seqcount_end(&zec->retired.seq);
	preempt_enable();
	local_bh_enable();
}
