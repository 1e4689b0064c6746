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

#include "fixture.h"

static char root[PATH_MAX];

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
	snprintf(buf, size, "devices/pci0000:%.2s/%s/%s", bridge, bridge, pci);
}

void fixture_pci(const struct fixture_fn *fn)
{
	char dir[PATH_MAX], rel[PATH_MAX], up[PATH_MAX], target[PATH_MAX * 2];

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
	}
	if (fn->total_vfs) {
		fixture_file(fn->total_vfs, "%s/sriov_totalvfs", dir);
		fixture_file("0", "%s/sriov_numvfs", dir);
	}
}

void fixture_virtfn(const char *bridge, const char *pf, unsigned int index,
		    const char *vf)
{
	char dir[PATH_MAX], rel[PATH_MAX], target[PATH_MAX];
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
	char dir[PATH_MAX], rel[PATH_MAX], target[PATH_MAX];

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
