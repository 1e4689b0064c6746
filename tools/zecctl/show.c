// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl show [NAME] and zecctl stats [NAME]: per device, per node the
 * CPUs, the port serving it and its packets; then the ports.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "prometheus.h"
#include "zecctl.h"

int zecctl_parse_optional_dev(int argc, char **argv, struct zecctl_req *req,
			      enum zecctl_cmd cmd)
{
	req->cmd = cmd;
	return argc ? zecctl_one_name(req, argc, argv, "device", &req->dev) : 0;
}

static int show_parse(int argc, char **argv, struct zecctl_req *req)
{
	return zecctl_parse_optional_dev(argc, argv, req, ZECCTL_SHOW);
}

static int stats_parse(int argc, char **argv, struct zecctl_req *req)
{
	if (req->format)
		return zecctl_prometheus_parse(argc, argv, req);
	return zecctl_parse_optional_dev(argc, argv, req, ZECCTL_STATS);
}

int zecctl_get_devices(struct zec_handle *h, const char *name, bool stats,
		       struct zec_device ***devs, size_t *n)
{
	struct zec_device *dev;
	int err;

	if (!name)
		return stats ? zec_stats_list(h, devs, n) :
			       zec_device_list(h, devs, n);
	*n = 0;
	*devs = calloc(1, sizeof(**devs));
	dev = calloc(1, sizeof(*dev));
	if (!*devs || !dev) {
		free(*devs);
		free(dev);
		*devs = NULL;
		return -ENOMEM;
	}
	dev->sz = sizeof(*dev);
	err = stats ? zec_stats_get(h, name, dev) : zec_device_get(h, name, dev);
	if (err) {
		zec_device_list_free(*devs, 0);
		free(dev);
		*devs = NULL;
		return err;
	}
	(*devs)[0] = dev;
	*n = 1;
	return 0;
}

static const struct zec_device *find_device(struct zec_device *const *devs,
					    size_t n, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (devs[i]->ifindex == ifindex)
			return devs[i];
	return NULL;
}

static const struct zec_topo_node *find_topo_node(const struct zec_topology *t,
						  uint32_t id)
{
	size_t i;

	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i]->id == id)
			return t->nodes[i];
	return NULL;
}

static void print_node_id(struct out *o, const char *key, const char *label,
			  uint32_t node)
{
	out_text(o, "%s", label);
	if (node == ZEC_NODE_NONE)
		out_null(o, key, "none");
	else
		out_uint(o, key, "%llu", node);
}

static void print_cpus(struct out *o, const struct zec_topo_node *node)
{
	char list[128];
	size_t i;

	if (!node)
		return;
	out_open_array(o, "cpus");
	for (i = 0; i < node->n_cpus; i++)
		out_uint(o, NULL, NULL, node->cpus[i]);
	out_close_array(o);
	zecctl_cpulist(node->cpus, node->n_cpus, list, sizeof(list));
	out_text(o, " cpus %s", list);
}

static void print_nodes(struct out *o, const struct zec_device *dev,
			const struct zec_device *stats,
			const struct zec_topology *topo)
{
	size_t i;

	out_open_array(o, "nodes");
	for (i = 0; i < dev->n_nodes; i++) {
		const struct zec_node *node = dev->nodes[i];
		const struct zec_node *counted =
			stats ? zec_device_node(stats, node->id) : NULL;

		out_open_object(o, NULL);
		out_uint(o, "node", "    node %llu", node->id);
		print_cpus(o, find_topo_node(topo, node->id));
		out_text(o, ": ");
		zecctl_print_serving(o, dev, node);
		if (counted && counted->stats) {
			out_uint(o, "tx_local_packets", " tx local %llu",
				 counted->stats->tx_local_packets);
			out_uint(o, "tx_cross_packets", " cross-node %llu",
				 counted->stats->tx_cross_packets);
		}
		out_text(o, "\n");
		out_close_object(o);
	}
	out_close_array(o);
}

static void print_port(struct out *o, const struct zec_port *port)
{
	out_open_object(o, NULL);
	out_string(o, "ifname", "    port %s:", port->ifname);
	out_uint(o, "ifindex", NULL, port->ifindex);
	out_string(o, "state", " %s",
		   port->state == ZEC_PORT_STATE_UP ? "up" : "down");
	zecctl_print_down_reasons(o, port->down_reasons);
	print_node_id(o, "node", " node ", port->node);
	if (port->node_override == ZEC_NODE_NONE) {
		out_null(o, "node_override", " (");
	} else {
		out_uint(o, "node_override", NULL, port->node_override);
		out_text(o, " (override, ");
	}
	print_node_id(o, "detected_node", "detected ", port->detected_node);
	out_text(o, ")");
	out_bool(o, "enabled", " enable %s", port->enabled);
	if (port->speed_mbps == ZEC_SPEED_UNKNOWN)
		out_null(o, "speed_mbps", NULL);
	else
		out_uint(o, "speed_mbps", " %lluMb/s", port->speed_mbps);
	if (port->rate)
		zecctl_print_rate(o, port->rate, true);
	else
		out_null(o, "rate", NULL);
	zecctl_print_port_probe(o, port);
	out_text(o, "\n");
	out_close_object(o);
}

static void print_device(struct out *o, const struct zec_device *dev,
			 const struct zec_device *stats,
			 const struct zec_topology *topo)
{
	size_t i;

	out_open_object(o, NULL);
	out_string(o, "ifname", "%s:", dev->ifname);
	out_uint(o, "ifindex", NULL, dev->ifindex);
	out_string(o, "mode", " mode %s", zecctl_mode_name(dev->config->mode));
	out_uint(o, "updelay_ms", " updelay %llums", dev->config->up_delay_ms);
	out_uint(o, "garp_count", " garp %llu", dev->config->garp_count);
	out_uint(o, "failover_count", " failovers %llu", dev->failover_count);
	out_uint(o, "last_failover_ns", NULL, dev->last_failover_ns);
	out_uint(o, "generation", " generation %llu", dev->generation);
	if (dev->config->mac_table_size) {
		out_text(o, "\n   ");
		zecctl_print_rx_config(o, dev->config, dev);
	}
	if (dev->rate) {
		out_text(o, "\n    default");
		zecctl_print_rate(o, dev->rate, false);
	} else {
		out_null(o, "rate", NULL);
	}
	out_text(o, "\n");
	if (dev->probe) {
		out_text(o, "   ");
		zecctl_print_dev_probe(o, dev);
		out_text(o, "\n");
	}
	print_nodes(o, dev, stats, topo);
	out_open_array(o, "ports");
	for (i = 0; i < dev->n_ports; i++)
		print_port(o, dev->ports[i]);
	out_close_array(o);
	if (!dev->n_ports)
		out_text(o, "    no ports\n");
	out_close_object(o);
}

static int show_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	struct zec_topology topo = { .sz = sizeof(topo) };
	struct zec_device **devs, **stats;
	size_t i, n, n_stats;
	int err;

	err = zecctl_get_devices(h, req->dev, false, &devs, &n);
	if (err)
		return err;
	/* counters are a bonus: show the configuration even without them */
	if (zecctl_get_devices(h, req->dev, true, &stats, &n_stats)) {
		stats = NULL;
		n_stats = 0;
	}
	zec_topology_get(&topo);	/* empty on failure */
	out_open_array(o, NULL);
	for (i = 0; i < n; i++)
		print_device(o, devs[i],
			     find_device(stats, n_stats, devs[i]->ifindex),
			     &topo);
	out_close_array(o);
	zec_topology_free(&topo);
	zec_device_list_free(stats, n_stats);
	zec_device_list_free(devs, n);
	return 0;
}

/*
 * stats NULL: the kernel sent none, all zero. The traffic counters at
 * every level, then each other group where the kernel sends it.
 */
static void print_stats(struct out *o, const struct zec_stats *stats,
			enum zecctl_level level)
{
	static const struct zec_stats none;
	unsigned int g;
	size_t i;

	if (!stats)
		stats = &none;
	out_open_object(o, "stats");
	for (g = 0; g < ZECCTL_COUNTERS_GROUPS; g++) {
		for (i = 0; i < zecctl_n_counters; i++) {
			const struct zecctl_counter *c = &zecctl_counters[i];

			if (c->group == g &&
			    (g == ZECCTL_COUNTERS_TRAFFIC || c->levels & level))
				out_uint(o, c->key, c->label,
					 zecctl_counter_value(stats, c));
		}
	}
	out_close_object(o);
}

static void print_device_stats(struct out *o, const struct zec_device *dev)
{
	size_t i;

	out_open_object(o, NULL);
	out_string(o, "ifname", "%s:\n    total:", dev->ifname);
	out_uint(o, "ifindex", NULL, dev->ifindex);
	out_uint(o, "generation", NULL, dev->generation);
	print_stats(o, dev->stats, ZECCTL_DEVICE);
	out_text(o, "\n");
	out_open_array(o, "ports");
	for (i = 0; i < dev->n_ports; i++) {
		out_open_object(o, NULL);
		out_string(o, "ifname", "    port %s:", dev->ports[i]->ifname);
		print_stats(o, dev->ports[i]->stats, ZECCTL_PORT);
		zecctl_print_port_probe(o, dev->ports[i]);
		out_text(o, "\n");
		out_close_object(o);
	}
	out_close_array(o);
	out_open_array(o, "nodes");
	for (i = 0; i < dev->n_nodes; i++) {
		out_open_object(o, NULL);
		out_uint(o, "node", "    node %llu:", dev->nodes[i]->id);
		print_stats(o, dev->nodes[i]->stats, ZECCTL_NODE);
		out_text(o, "\n");
		out_close_object(o);
	}
	out_close_array(o);
	out_close_object(o);
}

static int stats_run(struct zec_handle *h, struct zecctl_req *req,
		     struct out *o)
{
	struct zec_device **devs;
	size_t i, n;
	int err;

	if (req->cmd == ZECCTL_STATS_PROMETHEUS)
		return zecctl_prometheus_run(h, req->dev, o->fp);
	err = zecctl_get_devices(h, req->dev, true, &devs, &n);
	if (err)
		return err;
	out_open_array(o, NULL);
	for (i = 0; i < n; i++)
		print_device_stats(o, devs[i]);
	out_close_array(o);
	zec_device_list_free(devs, n);
	return 0;
}

const struct zecctl_object show_object = {
	"show", show_parse, show_run, "zecctl show [ NAME ]",
};

const struct zecctl_object stats_object = {
	"stats", stats_parse, stats_run,
	"zecctl stats [ -o prometheus ] [ NAME ]",
};
