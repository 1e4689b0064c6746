/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The counters of struct zec_stats (ZEC_A_STATS_* in <linux/zec.h>), one
 * table for "zecctl stats" (text and JSON) and "zecctl stats -o
 * prometheus".
 */
#ifndef ZECCTL_COUNTERS_H
#define ZECCTL_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <zec/zec.h>

/* The nests of a ZEC_CMD_STATS_GET reply that carry stats */
enum zecctl_level {
	ZECCTL_DEVICE = 1 << 0,
	ZECCTL_PORT = 1 << 1,
	ZECCTL_NODE = 1 << 2,
};

/*
 * Where "zecctl stats" prints a counter: the traffic counters at every
 * level (zero where the kernel sends none), then, each group on a line of
 * its own, independent mode's receive side and the probes at the levels
 * the kernel sends them at.
 */
enum zecctl_counter_group {
	ZECCTL_COUNTERS_TRAFFIC,
	ZECCTL_COUNTERS_RX,
	ZECCTL_COUNTERS_PROBE,
	ZECCTL_COUNTERS_GROUPS
};

struct zecctl_counter {
	const char *key;		/* member of struct zec_stats */
	size_t offset;			/* of that member */
	unsigned int levels;		/* enum zecctl_level: where sent */
	enum zecctl_counter_group group;
	const char *label;		/* zecctl stats' text: a format */
	const char *help;		/* its Prometheus # HELP */
};

/* In the order of struct zec_stats */
extern const struct zecctl_counter zecctl_counters[];
extern const size_t zecctl_n_counters;

uint64_t zecctl_counter_value(const struct zec_stats *stats,
			      const struct zecctl_counter *c);

#endif /* ZECCTL_COUNTERS_H */
