// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs trees in a temporary directory, laid out as the kernel lays them
 * out: devices under devices/pci0000:NN/..., reached through symlinks
 * (bus/pci/devices/ADDR, class/net/IF, virtfnN, physfn, driver).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fixture.h"

/* a device directory: short enough that any path made of it fits PATH_MAX */
#define DIR_SIZE (PATH_MAX / 2)

static char root[64];		/* /tmp/zec-sysfs.XXXXXX */

/* mkdir -p of the directory part of path */
static void make_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
}

static void __attribute__((format(printf, 2, 3)))
fixture_file(const char *content, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *fp;
	int n;

	va_start(ap, fmt);
	n = snprintf(path, sizeof(path), "%s/", root);
	vsnprintf(path + n, sizeof(path) - (size_t)n, fmt, ap);
	va_end(ap);
	make_parents(path);
	fp = fopen(path, "w");
	if (fp) {
		fprintf(fp, "%s\n", content);
		fclose(fp);
	}
}

/* link ROOT/rel -> target, target relative to the link as sysfs has it */
static void fixture_link(const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	make_parents(path);
	if (symlink(target, path))
		fprintf(stderr, "symlink %s: %s\n", path, strerror(errno));
}

/* "a/b/c" -> "../../.." so that a link in a/b/c reaches the root */
static void up_to_root(const char *rel, char *buf, size_t size)
{
	const char *p;

	buf[0] = 0;
	for (p = rel; *p; p++)
		if (*p == '/')
			strncat(buf, "../", size - strlen(buf) - 1);
	if (buf[0])
		buf[strlen(buf) - 1] = 0;
	else
		snprintf(buf, size, ".");
}

/* The device directory of PCI function pci behind root port bridge. */
static void dev_dir(const char *bridge, const char *pci, char *buf,
		    size_t size)
{
	/* the root bus of bridge "0000:80:01.0" is pci0000:80 */
	snprintf(buf, size, "devices/pci%.7s/%s/%s", bridge, bridge, pci);
}

void fixture_pci(const struct fixture_fn *fn)
{
	char dir[DIR_SIZE], rel[PATH_MAX], up[PATH_MAX], target[PATH_MAX * 2];

	dev_dir(fn->bridge, fn->pci, dir, sizeof(dir));
	fixture_file(fn->class, "%s/class", dir);
	fixture_file(fn->node, "%s/numa_node", dir);
	/* bus/pci/devices/ADDR -> ../../../devices/... */
	snprintf(target, sizeof(target), "../../../%s", dir);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", fn->pci);
	fixture_link(target, rel);
	if (fn->driver) {
		snprintf(rel, sizeof(rel), "%s/driver", dir);
		up_to_root(rel, up, sizeof(up));
		snprintf(target, sizeof(target), "%s/bus/pci/drivers/%s", up,
			 fn->driver);
		fixture_link(target, rel);
		fixture_file("", "bus/pci/drivers/%s/new_id", fn->driver);
	}
	if (fn->ifname) {
		fixture_file(fn->operstate ? fn->operstate : "up",
			     "%s/net/%s/operstate", dir, fn->ifname);
		snprintf(target, sizeof(target), "../../%s/net/%s", dir,
			 fn->ifname);
		snprintf(rel, sizeof(rel), "class/net/%s", fn->ifname);
		fixture_link(target, rel);
		/* IF/device -> ../../../ADDR, from its net/IF directory */
		snprintf(rel, sizeof(rel), "%s/net/%s/device", dir,
			 fn->ifname);
		snprintf(target, sizeof(target), "../../../%s", fn->pci);
		fixture_link(target, rel);
	}
	if (fn->total_vfs) {
		fixture_file(fn->total_vfs, "%s/sriov_totalvfs", dir);
		fixture_file("0", "%s/sriov_numvfs", dir);
	}
}

void fixture_netdev(const struct fixture_fn *fn, const char *ifname,
		    const char *phys_port_name)
{
	char dir[DIR_SIZE];

	dev_dir(fn->bridge, fn->pci, dir, sizeof(dir));
	fixture_file("up", "%s/net/%s/operstate", dir, ifname);
	if (phys_port_name)
		fixture_file(phys_port_name, "%s/net/%s/phys_port_name", dir,
			     ifname);
}

void fixture_virtfn(const char *bridge, const char *pf, unsigned int index,
		    const char *vf)
{
	char dir[DIR_SIZE], rel[PATH_MAX], target[PATH_MAX];
	char num[16];

	/* virtfnN -> ../VF: siblings under the bridge */
	dev_dir(bridge, pf, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/virtfn%u", dir, index);
	snprintf(target, sizeof(target), "../%s", vf);
	fixture_link(target, rel);
	snprintf(num, sizeof(num), "%u", index + 1);
	fixture_file(num, "%s/sriov_numvfs", dir);
}

void fixture_vf(const char *bridge, const char *pf, unsigned int index,
		const struct fixture_fn *fn)
{
	char dir[DIR_SIZE], rel[PATH_MAX], target[PATH_MAX];

	fixture_pci(fn);
	fixture_virtfn(bridge, pf, index, fn->pci);
	dev_dir(fn->bridge, fn->pci, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s/physfn", dir);
	snprintf(target, sizeof(target), "../%s", pf);
	fixture_link(target, rel);
}

void fixture_node(int id, const char *cpulist, const char *distance)
{
	fixture_file(cpulist, "devices/system/node/node%d/cpulist", id);
	fixture_file(distance, "devices/system/node/node%d/distance", id);
}

void fixture_cpus_online(const char *cpulist)
{
	fixture_file(cpulist, "devices/system/cpu/online");
}

void fixture_lock(const char *pci, const char *content)
{
	fixture_file(content, "run/%s", pci);
}

void fixture_cleanup(void)
{
	char cmd[PATH_MAX + 16];

	if (!root[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", root);
	root[0] = 0;
}

const char *fixture_new(void)
{
	fixture_cleanup();
	snprintf(root, sizeof(root), "/tmp/zec-sysfs.XXXXXX");
	if (!mkdtemp(root))
		return NULL;
	fixture_file("", "run/.keep");
	return root;
}

const char *fixture_run_dir(void)
{
	static char dir[PATH_MAX + 8];

	snprintf(dir, sizeof(dir), "%s/run", root);
	return dir;
}

pid_t fixture_dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void vf(const char *bridge, const char *pf, unsigned int index,
	       const char *pci, const char *node, const char *driver,
	       const char *ifname)
{
	struct fixture_fn fn = {
		.bridge = bridge, .pci = pci, .class = ETH, .node = node,
		.driver = driver, .ifname = ifname,
	};

	fixture_vf(bridge, pf, index, &fn);
}

/*
 * Two dual-port NICs on nodes 0 and 1, a single-port NIC of no node, an
 * SR-IOV NVMe drive and a NIC without SR-IOV. VF 0000:81:01.0 is held by
 * this process, 0000:81:01.2 by a dead one. Port eth1 is down.
 */
const char *fixture_two_nics(void)
{
	const char *root = fixture_new();
	char pid[16];
	static const struct fixture_fn pfs[] = {
		{ BR_A, "0000:03:00.0", ETH, "0", "ixgbe", "eth0", NULL, "63" },
		{ BR_A, "0000:03:00.1", ETH, "0", "ixgbe", "eth1", "down", "63" },
		{ BR_B, "0000:81:00.0", ETH, "1", "ice", "eth2", NULL, "256" },
		{ BR_B, "0000:81:00.1", ETH, "1", "ice", "eth3", NULL, "256" },
		{ BR_C, "0000:05:00.0", ETH, "-1", "i40e", "eth4", NULL, "4" },
		{ BR_C, "0000:06:00.0", NVME, "0", "nvme", NULL, NULL, "4" },
		{ BR_C, "0000:07:00.0", ETH, "0", "e1000e", "eth5", NULL, NULL },
	};
	size_t i;

	if (!root)
		return NULL;
	for (i = 0; i < sizeof(pfs) / sizeof(pfs[0]); i++)
		fixture_pci(&pfs[i]);
	fixture_node(0, "0-3", "10 21");
	fixture_node(1, "4-7", "21 10");
	vf(BR_A, "0000:03:00.0", 0, "0000:03:10.0", "0", "vfio-pci", NULL);
	vf(BR_A, "0000:03:00.0", 1, "0000:03:10.2", "0", "ixgbevf",
	   "enp3s16f2");
	vf(BR_A, "0000:03:00.0", 2, "0000:03:10.4", "-1", NULL, NULL);
	vf(BR_A, "0000:03:00.1", 0, "0000:03:10.1", "0", "vfio-pci", NULL);
	vf(BR_B, "0000:81:00.0", 0, "0000:81:01.0", "1", "vfio-pci", NULL);
	vf(BR_B, "0000:81:00.0", 1, "0000:81:01.1", "1", "iavf", "eth2v1");
	vf(BR_B, "0000:81:00.0", 2, "0000:81:01.2", "1", "vfio-pci", NULL);
	vf(BR_C, "0000:05:00.0", 0, "0000:05:10.0", "-1", "vfio-pci", NULL);
	/* a virtfn link whose VF's physfn names another PF: ignored */
	fixture_virtfn(BR_A, "0000:03:00.1", 1, "0000:81:01.1");
	/* an SR-IOV NVMe drive's VF: not a NIC's */
	{
		struct fixture_fn nvme_vf = { BR_C, "0000:06:00.4", NVME, "0",
					      NULL, NULL, NULL, NULL };

		fixture_vf(BR_C, "0000:06:00.0", 0, &nvme_vf);
	}
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	fixture_lock("0000:81:01.0", pid);
	snprintf(pid, sizeof(pid), "%d", (int)fixture_dead_pid());
	fixture_lock("0000:81:01.2", pid);
	return root;
}

/*
 * Four nodes of two CPUs; node 0 is nearest to node 2, node 3 to node 1.
 * VFs on node 1 (two) and node 2 (one).
 */
const char *fixture_four_nodes(void)
{
	const char *root = fixture_new();
	static const struct fixture_fn pfs[] = {
		{ BR_A, "0000:41:00.0", ETH, "1", "ice", "eth0", NULL, "8" },
		{ BR_B, "0000:81:00.0", ETH, "2", "ice", "eth1", NULL, "8" },
	};

	if (!root)
		return NULL;
	fixture_pci(&pfs[0]);
	fixture_pci(&pfs[1]);
	fixture_node(0, "0-1", "10 32 16 22");
	fixture_node(1, "2-3", "32 10 22 16");
	fixture_node(2, "4-5", "16 22 10 32");
	fixture_node(3, "6-7", "22 16 32 10");
	vf(BR_A, "0000:41:00.0", 0, "0000:41:10.0", "1", "vfio-pci", NULL);
	vf(BR_A, "0000:41:00.0", 1, "0000:41:10.1", "1", "vfio-pci", NULL);
	vf(BR_B, "0000:81:00.0", 0, "0000:81:10.0", "2", "vfio-pci", NULL);
	return root;
}

/*
 * Two dual-port NICs, on nodes 0 and 1 of two CPUs each (the guest's
 * testbed): port0 (0000:03:00.0, VFs 03:10.0 and 03:10.2) and eth1
 * (03:00.1, VF 03:10.1) on node 0; port1 (0000:81:00.0, VFs 81:01.0 and
 * 81:01.1) and eth3 (81:00.1, no VFs) on node 1. Every VF is bound to
 * vfio-pci; 81:01.0 is held by pid owner.
 */
const char *fixture_reattach(const char *port0, const char *port1,
			     pid_t owner)
{
	const char *root = fixture_new();
	const struct fixture_fn pfs[] = {
		{ BR_A, "0000:03:00.0", ETH, "0", "ixgbe", port0, NULL, "8" },
		{ BR_A, "0000:03:00.1", ETH, "0", "ixgbe", "eth1", NULL, "8" },
		{ BR_B, "0000:81:00.0", ETH, "1", "ice", port1, NULL, "8" },
		{ BR_B, "0000:81:00.1", ETH, "1", "ice", "eth3", NULL, "8" },
	};
	char pid[16];
	size_t i;

	if (!root)
		return NULL;
	for (i = 0; i < sizeof(pfs) / sizeof(pfs[0]); i++)
		fixture_pci(&pfs[i]);
	fixture_node(0, "0-1", "10 20");
	fixture_node(1, "2-3", "20 10");
	vf(BR_A, "0000:03:00.0", 0, "0000:03:10.0", "0", "vfio-pci", NULL);
	vf(BR_A, "0000:03:00.0", 1, "0000:03:10.2", "0", "vfio-pci", NULL);
	vf(BR_A, "0000:03:00.1", 0, "0000:03:10.1", "0", "vfio-pci", NULL);
	vf(BR_B, "0000:81:00.0", 0, "0000:81:01.0", "1", "vfio-pci", NULL);
	vf(BR_B, "0000:81:00.0", 1, "0000:81:01.1", "1", "vfio-pci", NULL);
	snprintf(pid, sizeof(pid), "%d", (int)owner);
	fixture_lock("0000:81:01.0", pid);
	return root;
}
