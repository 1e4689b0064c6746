/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zecctl stats -o prometheus: counters and state in the Prometheus text
 * exposition format 0.0.4 (node_exporter's textfile collector).
 */
#ifndef ZECCTL_PROMETHEUS_H
#define ZECCTL_PROMETHEUS_H

#include <stdio.h>

#include "zecctl.h"

/* argv after "stats", with req->format set by "-o": "[ NAME ]" */
int zecctl_prometheus_parse(int argc, char **argv, struct zecctl_req *req);

/*
 * Writes the counters of stats[] (zec_stats_list or zec_stats_get) and the
 * state of devs[] (zec_device_list or zec_device_get) to fp.
 */
void zecctl_prometheus(FILE *fp, struct zec_device *const *devs, size_t n,
		       struct zec_device *const *stats, size_t n_stats);

/*
 * Device name or all: fetches both and writes them; fails, having
 * written nothing, if either fetch does, and if fp cannot be flushed.
 */
int zecctl_prometheus_run(struct zec_handle *h, const char *name, FILE *fp);

#endif /* ZECCTL_PROMETHEUS_H */
