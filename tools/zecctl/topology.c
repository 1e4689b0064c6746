// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl topology: the machine's NUMA nodes, their CPUs and distances,
 * and which port of each zec device serves each node now.
 */
#include <errno.h>

#include "zecctl.h"

static int topology_parse(int argc, char **argv, struct zecctl_req *req)
{
	return zecctl_parse_no_args(argc, argv, req, ZECCTL_TOPOLOGY);
}

static void print_topo_node(struct out *o, const struct zec_topology *topo,
			    const struct zec_topo_node *node,
			    struct zec_device *const *devs, size_t n_devs)
{
	char list[128];
	size_t i;

	out_open_object(o, NULL);
	out_uint(o, "node", "node %llu:", node->id);
	zecctl_cpulist(node->cpus, node->n_cpus, list, sizeof(list));
	out_text(o, " cpus %s distances", list);
	out_open_array(o, "cpus");
	for (i = 0; i < node->n_cpus; i++)
		out_uint(o, NULL, NULL, node->cpus[i]);
	out_close_array(o);
	out_open_array(o, "distances");
	for (i = 0; i < topo->n_nodes; i++) {
		out_open_object(o, NULL);
		out_uint(o, "node", NULL, topo->nodes[i]->id);
		out_uint(o, "distance", " %llu", node->distance[i]);
		out_close_object(o);
	}
	out_close_array(o);
	out_text(o, "\n");
	out_open_array(o, "devices");
	for (i = 0; i < n_devs; i++) {
		const struct zec_node *served =
			zec_device_node(devs[i], node->id);

		if (!served)
			continue;
		out_open_object(o, NULL);
		out_string(o, "ifname", "    %s: ", devs[i]->ifname);
		zecctl_print_serving(o, devs[i], served);
		out_text(o, "\n");
		out_close_object(o);
	}
	out_close_array(o);
	out_close_object(o);
}

static int topology_run(struct zec_handle *h, struct zecctl_req *req,
			struct out *o)
{
	struct zec_topology topo = { .sz = sizeof(topo) };
	struct zec_device **devs;
	size_t i, n_devs;
	int err;

	(void)req;
	err = zec_topology_get(&topo);
	if (err)
		return err;
	/* without the module there are no devices, the topology still holds */
	err = zec_device_list(h, &devs, &n_devs);
	if (err == -ENOENT) {
		devs = NULL;
		n_devs = 0;
		err = 0;
	}
	if (!err) {
		out_open_array(o, NULL);
		for (i = 0; i < topo.n_nodes; i++)
			print_topo_node(o, &topo, topo.nodes[i], devs, n_devs);
		out_close_array(o);
		zec_device_list_free(devs, n_devs);
	}
	zec_topology_free(&topo);
	return err;
}

const struct zecctl_object topology_object = {
	"topology", topology_parse, topology_run, "zecctl topology",
};
