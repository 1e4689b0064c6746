// SPDX-License-Identifier: GPL-2.0-only
/*
 * The counters of struct zec_stats: their "zecctl -j stats" keys, the
 * levels the kernel sends each at, how "zecctl stats" labels them and
 * their Prometheus help text.
 */
#include "counters.h"
#include "zecctl.h"

#define COUNTER(m, levels, group, label, help) \
	{ #m, offsetof(struct zec_stats, m), levels, \
	  ZECCTL_COUNTERS_##group, label, help }
#define ALL (ZECCTL_DEVICE | ZECCTL_PORT | ZECCTL_NODE)
#define DEV_PORT (ZECCTL_DEVICE | ZECCTL_PORT)
#define DEV_NODE (ZECCTL_DEVICE | ZECCTL_NODE)

const struct zecctl_counter zecctl_counters[] = {
	COUNTER(tx_local_packets, ALL, TRAFFIC, " tx local %llu pkts",
		"Packets sent by a port on the node of the submitting CPU"),
	COUNTER(tx_local_bytes, ALL, TRAFFIC, " %llu bytes,",
		"Bytes sent by a port on the node of the submitting CPU"),
	COUNTER(tx_cross_packets, ALL, TRAFFIC, " cross-node %llu pkts",
		"Packets sent by a port on another node than the submitting CPU's"),
	COUNTER(tx_cross_bytes, ALL, TRAFFIC, " %llu bytes,",
		"Bytes sent by a port on another node than the submitting CPU's"),
	COUNTER(rx_packets, DEV_PORT, TRAFFIC, " rx %llu pkts",
		"Packets received by ports"),
	COUNTER(rx_bytes, DEV_PORT, TRAFFIC, " %llu bytes,",
		"Bytes received by ports"),
	COUNTER(submitted_packets, DEV_NODE, TRAFFIC, " submitted %llu,",
		"Packets handed to the zec device"),
	COUNTER(drop_no_port, DEV_NODE, TRAFFIC, " drops no-port %llu",
		"Packets dropped because no port was healthy"),
	COUNTER(drop_tx_error, ALL, TRAFFIC, " tx-error %llu,",
		"Packets the port's driver refused"),
	COUNTER(failovers, ALL, TRAFFIC, " failovers %llu,",
		"Failovers: device, events; port, times traffic moved away from it; node, times its serving port changed"),
	COUNTER(drop_rate, ALL, TRAFFIC, " rate drops %llu",
		"Packets dropped by a rate cap"),
	COUNTER(rate_delayed, ALL, TRAFFIC, " delayed %llu",
		"Packets held back by a rate cap in shape mode"),
	COUNTER(probes_sent, ZECCTL_PORT, PROBE, "\n        probes sent %llu",
		"Health probes sent"),
	COUNTER(probe_replies, ZECCTL_PORT, PROBE, " replies %llu,",
		"Health probe replies that counted"),
	COUNTER(probe_downs, ZECCTL_PORT, PROBE, " probe downs %llu",
		"Times the probe verdict took the port down"),
	COUNTER(damp_holds, ZECCTL_PORT, PROBE, " damp holds %llu",
		"Times flap damping held the port down"),
	COUNTER(rx_reflections, DEV_PORT, RX, "\n        rx reflections %llu",
		"Frames dropped as the fabric's reflections of what zec sent"),
	COUNTER(rx_flood_duplicates, DEV_PORT, RX, " flood duplicates %llu,",
		"Broadcast and multicast dropped on a port other than the receive port"),
	COUNTER(announcements, DEV_PORT, RX, " announcements %llu",
		"Frames sent to move a source MAC to the port that carries it now"),
};

const size_t zecctl_n_counters = ARRAY_SIZE(zecctl_counters);

_Static_assert(ARRAY_SIZE(zecctl_counters) * sizeof(uint64_t) ==
	       sizeof(struct zec_stats), "a row per member of zec_stats");

uint64_t zecctl_counter_value(const struct zec_stats *stats,
			      const struct zecctl_counter *c)
{
	return *(const uint64_t *)((const char *)stats + c->offset);
}
