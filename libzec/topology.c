// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The machine's NUMA nodes, their CPUs and distances, from libnuma.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <numa.h>

#include "internal.h"

/* node_distance() between a node and itself, as the kernel reports it. */
#define LOCAL_DISTANCE 10

/* Without NUMA support the machine is one node 0 holding every CPU. */
static int flat_topology(struct zec_topology *topo)
{
	long n_cpus = sysconf(_SC_NPROCESSORS_CONF);
	struct zec_topo_node *node;
	long cpu;

	topo->nodes = calloc(1, sizeof(*topo->nodes));
	if (!topo->nodes || n_cpus < 1)
		return -ENOMEM;
	node = calloc(1, sizeof(*node));
	if (!node)
		return -ENOMEM;
	topo->nodes[topo->n_nodes++] = node;
	node->cpus = calloc((size_t)n_cpus, sizeof(*node->cpus));
	node->distance = malloc(sizeof(*node->distance));
	if (!node->cpus || !node->distance)
		return -ENOMEM;
	for (cpu = 0; cpu < n_cpus; cpu++)
		node->cpus[node->n_cpus++] = (unsigned int)cpu;
	node->distance[0] = LOCAL_DISTANCE;
	return 0;
}

static int fill_node(struct zec_topo_node *node, const int *ids,
		     size_t n_nodes, struct bitmask *cpumask)
{
	unsigned int cpu, n_cpus = (unsigned int)numa_num_configured_cpus();
	size_t i;

	if (numa_node_to_cpus((int)node->id, cpumask))
		return -errno;
	node->cpus = calloc(n_cpus, sizeof(*node->cpus));
	node->distance = calloc(n_nodes, sizeof(*node->distance));
	if (!node->cpus || !node->distance)
		return -ENOMEM;
	for (cpu = 0; cpu < n_cpus; cpu++)
		if (numa_bitmask_isbitset(cpumask, cpu))
			node->cpus[node->n_cpus++] = cpu;
	for (i = 0; i < n_nodes; i++)
		node->distance[i] = (uint32_t)numa_distance((int)node->id,
							    ids[i]);
	return 0;
}

static int numa_topology(struct zec_topology *topo)
{
	int id, max = numa_max_node();
	struct zec_topo_node *node;
	struct bitmask *cpumask;
	size_t i, n_ids = 0;
	int *ids;
	int err = 0;

	ids = calloc((size_t)max + 1, sizeof(*ids));
	topo->nodes = calloc((size_t)max + 1, sizeof(*topo->nodes));
	cpumask = numa_allocate_cpumask();
	if (!ids || !topo->nodes || !cpumask) {
		err = -ENOMEM;
		goto out;
	}
	for (id = 0; id <= max; id++)
		if (numa_bitmask_isbitset(numa_nodes_ptr, (unsigned int)id))
			ids[n_ids++] = id;
	for (i = 0; !err && i < n_ids; i++) {
		node = calloc(1, sizeof(*node));
		if (!node) {
			err = -ENOMEM;
			break;
		}
		topo->nodes[topo->n_nodes++] = node;
		node->id = (uint32_t)ids[i];
		err = fill_node(node, ids, n_ids, cpumask);
	}
out:
	if (cpumask)
		numa_free_cpumask(cpumask);
	free(ids);
	return err;
}

ZEC_EXPORT int zec_topology_get(struct zec_topology *topo)
{
	struct zec_topology full = { .sz = sizeof(full) };
	int err = zec_check_sz(NULL, topo->sz, ZEC_TOPOLOGY_SZ_1_0,
			       "zec_topology");

	if (err)
		return err;
	err = numa_available() < 0 ? flat_topology(&full) :
				     numa_topology(&full);
	if (err)
		zec_topology_free(&full);
	/* hand over what fits in the caller's struct, free the rest */
	memset(&full, 0, zec_copy_out(topo, &full, sizeof(full)));
	full.sz = sizeof(full);
	zec_topology_free(&full);
	return err;
}

ZEC_EXPORT void zec_topology_free(struct zec_topology *topo)
{
	size_t i, sz = topo->sz;

	if (sz < ZEC_TOPOLOGY_SZ_1_0)
		return;	/* not filled by zec_topology_get(); nothing to free */
	for (i = 0; i < topo->n_nodes; i++) {
		free(topo->nodes[i]->cpus);
		free(topo->nodes[i]->distance);
		free(topo->nodes[i]);
	}
	free(topo->nodes);
	memset(topo, 0, sz < sizeof(*topo) ? sz : sizeof(*topo));
	topo->sz = sz;
}
