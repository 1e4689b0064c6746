// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VF placement and vhost placement over sysfs fixtures: listing, picking
 * by node, by CPU list and by distance, reservation (also by processes
 * picking at once), release, and the vhost CPUs of a VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <zec/zec.h>

#include "internal.h"
#include "fixture.h"
#include "unit.h"

/* The PCI address zec_vf_pick(node) reserves, or the error as text. */
static const char *pick(struct zec_vf_list *list, int node)
{
	static char buf[32];
	const struct zec_vf *vf;
	int err = zec_vf_pick(list, node, NULL, NULL, 0, &vf);

	if (err) {
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
		return buf;
	}
	return zec_vf_pci_addr(vf);
}

static const char *pick_cpus(struct zec_vf_list *list, const char *cpus)
{
	static char buf[32];
	const struct zec_vf *vf;
	int err = zec_vf_pick_cpus(list, cpus, NULL, NULL, 0, &vf);

	if (err) {
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
		return buf;
	}
	return zec_vf_pci_addr(vf);
}

static struct zec_vf_list *list_of(const char *root)
{
	struct zec_vf_list *list;

	if (!root || zec_vf_list_get(root, fixture_run_dir(), &list))
		return NULL;
	return list;
}

/* The lock file of pci: its pid, 0 if absent. */
static long lock_pid(const char *pci)
{
	char path[PATH_MAX + 64], buf[32] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", fixture_run_dir(), pci);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = 0;
	fclose(fp);
	return strtol(buf, NULL, 10);
}

static const char *test_list(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());
	const struct zec_vf *v;
	const struct zec_pf *pf;
	static const char *const order[] = {
		"0000:03:10.0", "0000:03:10.2", "0000:03:10.4", "0000:03:10.1",
		"0000:05:10.0", "0000:81:01.0", "0000:81:01.1", "0000:81:01.2",
	};
	size_t i;

	CHECK(list);
	CHECK(zec_vf_list_pf_count(list) == 5);
	CHECK(zec_vf_list_count(list) == 8);
	for (i = 0; i < 8; i++)
		CHECK(!strcmp(zec_vf_pci_addr(zec_vf_list_at(list, i)),
			      order[i]));
	CHECK(!zec_vf_list_at(list, 8));
	v = zec_vf_list_find(list, "0000:03:10.0");
	CHECK(v && zec_vf_node(v) == 0 && zec_vf_index(v) == 0);
	CHECK(!strcmp(zec_vf_driver(v), "vfio-pci") && !zec_vf_ifname(v));
	CHECK(!strcmp(zec_vf_pf_ifname(v), "eth0") && !zec_vf_in_use(v));
	CHECK(!strcmp(zec_pf_pci_addr(zec_vf_pf(v)), "0000:03:00.0"));
	v = zec_vf_list_find(list, "0000:03:10.2");
	CHECK(v && !strcmp(zec_vf_driver(v), "ixgbevf"));
	CHECK(!strcmp(zec_vf_ifname(v), "enp3s16f2"));
	/* numa_node -1: the PF's node; -1 there too: unknown */
	v = zec_vf_list_find(list, "0000:03:10.4");
	CHECK(v && zec_vf_node(v) == 0 && !zec_vf_driver(v));
	v = zec_vf_list_find(list, "0000:05:10.0");
	CHECK(v && zec_vf_node(v) == -1 && zec_pf_node(zec_vf_pf(v)) == -1);
	/* held by a live pid; a dead pid's lock is stale: free */
	v = zec_vf_list_find(list, "0000:81:01.0");
	CHECK(v && zec_vf_in_use(v) && zec_vf_owner(v) == getpid());
	v = zec_vf_list_find(list, "0000:81:01.2");
	CHECK(v && !zec_vf_in_use(v) && !zec_vf_owner(v));
	CHECK(!zec_vf_list_find(list, "0000:06:00.4"));
	pf = zec_vf_list_pf_at(list, 4);
	CHECK(!strcmp(zec_pf_pci_addr(pf), "0000:81:00.1"));
	CHECK(!strcmp(zec_pf_ifname(pf), "eth3") && zec_pf_node(pf) == 1);
	CHECK(zec_pf_vf_count(pf) == 0 && zec_pf_total_vfs(pf) == 256);
	pf = zec_vf_list_pf_at(list, 3);
	CHECK(zec_pf_vf_count(pf) == 3);
	CHECK(zec_pf_vf_count(zec_vf_list_pf_at(list, 1)) == 1);
	CHECK(!strcmp(zec_vf_pci_addr(zec_pf_vf_at(pf, 2)), "0000:81:01.2"));
	CHECK(!zec_pf_vf_at(pf, 3) && !zec_vf_list_pf_at(list, 5));
	zec_vf_list_free(list);
	return NULL;
}

/* A PF in switchdev mode: its net/ holds the representors too. */
static const char *test_switchdev(void)
{
	const char *root = fixture_new();
	static const struct fixture_fn pf = {
		BR_B, "0000:82:00.0", ETH, "1", "mlx5_core", "enp130s0f0np0",
		NULL, "8",
	};
	struct zec_vf_list *list;

	CHECK(root);
	fixture_pci(&pf);
	fixture_netdev(&pf, "enp130s0f0np0", "p0");
	fixture_netdev(&pf, "aaa_vfrep", "pf0vf0");
	fixture_netdev(&pf, "aab_sfrep", "pf0sf1");
	fixture_netdev(&pf, "zzz", NULL);
	fixture_node(0, "0-3", "10");
	list = list_of(root);
	CHECK(list && zec_vf_list_pf_count(list) == 1);
	CHECK(!strcmp(zec_pf_ifname(zec_vf_list_pf_at(list, 0)),
		      "enp130s0f0np0"));
	zec_vf_list_free(list);
	return NULL;
}

static const char *test_environment(void)
{
	const char *root = fixture_two_nics();
	struct zec_vf_list *list;
	int err;

	CHECK(root);
	setenv("ZEC_SYSFS_ROOT", root, 1);
	setenv("ZEC_RUN_DIR", fixture_run_dir(), 1);
	err = zec_vf_list_get(NULL, NULL, &list);
	unsetenv("ZEC_SYSFS_ROOT");
	unsetenv("ZEC_RUN_DIR");
	CHECK(!err && zec_vf_list_count(list) == 8);
	CHECK(zec_vf_in_use(zec_vf_list_find(list, "0000:81:01.0")));
	zec_vf_list_free(list);
	/* an empty tree: nothing, and no error */
	CHECK(!zec_vf_list_get(fixture_new(), fixture_run_dir(), &list));
	CHECK(zec_vf_list_count(list) == 0 && zec_vf_list_pf_count(list) == 0);
	CHECK(zec_vf_pick(list, 0, NULL, NULL, 0, &(const struct zec_vf *){0})
	      == -ENODEV);
	zec_vf_list_free(list);
	return NULL;
}

static const char *test_pick_node(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());

	CHECK(list);
	/* vfio-pci first; the dead pid's lock is reclaimed */
	CHECK(!strcmp(pick(list, 1), "0000:81:01.2"));
	CHECK(lock_pid("0000:81:01.2") == getpid());
	CHECK(zec_vf_owner(zec_vf_list_find(list, "0000:81:01.2")) == getpid());
	/* the live pid's VF never */
	CHECK(!strcmp(pick(list, 1), "0000:81:01.1"));
	CHECK(!strcmp(pick(list, 0), "0000:03:10.0"));
	CHECK(!strcmp(pick(list, 7), strerror(ENOENT)));
	CHECK(!strcmp(pick(list, -1), strerror(EINVAL)));
	zec_vf_list_free(list);
	return NULL;
}

static const char *test_pick_fallback(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());
	static const char *const order[] = {
		"0000:03:10.0", "0000:03:10.2", "0000:03:10.4",	/* node 0 */
		"0000:81:01.2", "0000:81:01.1",			/* node 1 */
		"0000:05:10.0",					/* no node */
		"0000:03:10.1",					/* port down */
	};
	size_t i;

	CHECK(list);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		CHECK(!strcmp(pick(list, 0), order[i]));
	CHECK(!strcmp(pick(list, 0), strerror(EBUSY)));
	zec_vf_list_free(list);
	/* by distance, not by node number */
	list = list_of(fixture_four_nodes());
	CHECK(list);
	CHECK(!strcmp(pick(list, 0), "0000:81:10.0"));
	CHECK(!strcmp(pick(list, 0), "0000:41:10.0"));
	zec_vf_list_free(list);
	list = list_of(fixture_four_nodes());
	CHECK(list);
	CHECK(!strcmp(pick(list, 3), "0000:41:10.0"));
	CHECK(!strcmp(pick(list, 2), "0000:81:10.0"));
	CHECK(!strcmp(pick(list, 2), "0000:41:10.1"));
	zec_vf_list_free(list);
	return NULL;
}

/* The zec device's view of its ports beats operstate; a down port loses. */
static const char *test_pick_zec_health(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());
	struct zec_port ports[] = {
		{ .ifname = "eth1", .enabled = true,
		  .state = ZEC_PORT_STATE_UP },
		{ .ifname = "eth2", .enabled = true,
		  .state = ZEC_PORT_STATE_DOWN },
		{ .ifname = "eth3", .enabled = false,
		  .state = ZEC_PORT_STATE_UP },
	};
	struct zec_port *pp[] = { &ports[0], &ports[1], &ports[2] };
	struct zec_device dev = { .sz = sizeof(dev), .n_ports = 3, .ports = pp };
	const struct zec_vf *v;

	CHECK(list);
	/* eth1: up for zec (whatever operstate says): before eth0 */
	CHECK(!zec_vf_pick_for(list, 0, &dev, 0, &v));
	CHECK(!strcmp(zec_vf_pci_addr(v), "0000:03:10.1"));
	CHECK(!zec_vf_pick_for(list, 0, &dev, 0, &v));
	CHECK(!strcmp(zec_vf_pci_addr(v), "0000:03:10.0"));
	/* eth2 down for zec: node 1 gets node 0's */
	CHECK(!zec_vf_pick_for(list, 1, &dev, 0, &v));
	CHECK(!strcmp(zec_vf_pci_addr(v), "0000:03:10.2"));
	zec_vf_list_free(list);
	return NULL;
}

static const char *test_pick_cpus(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());

	CHECK(list);
	/* the majority's node; a tie goes to the lowest CPU's */
	CHECK(!strcmp(pick_cpus(list, "4-5,0"), "0000:81:01.2"));
	CHECK(!strcmp(pick_cpus(list, "7,0"), "0000:03:10.0"));
	CHECK(!strcmp(pick_cpus(list, "1,2,6"), "0000:03:10.2"));
	CHECK(!strcmp(pick_cpus(list, "8"), strerror(ENOENT)));
	CHECK(!strcmp(pick_cpus(list, "1-"), strerror(EINVAL)));
	zec_vf_list_free(list);
	list = list_of(fixture_four_nodes());
	CHECK(list);
	CHECK(!strcmp(pick_cpus(list, "6-7"), "0000:41:10.0"));
	CHECK(!strcmp(pick_cpus(list, "0"), "0000:81:10.0"));
	zec_vf_list_free(list);
	return NULL;
}

/* No node directory (a kernel without NUMA): one node 0, -1 means it. */
static const char *test_no_numa(void)
{
	const char *root = fixture_new();
	struct zec_vf_list *list;
	static const struct fixture_fn pf = {
		BR_A, "0000:03:00.0", ETH, "-1", "ixgbe", "eth0", NULL, "8",
	}, vf = {
		BR_A, "0000:03:10.0", ETH, "-1", "vfio-pci", NULL, NULL, NULL,
	};

	CHECK(root);
	fixture_pci(&pf);
	fixture_cpus_online("0-3");
	fixture_vf(BR_A, "0000:03:00.0", 0, &vf);
	list = list_of(root);
	CHECK(list);
	CHECK(zec_vf_node(zec_vf_list_at(list, 0)) == 0);
	CHECK(!strcmp(pick(list, 1), strerror(ENOENT)));
	CHECK(!strcmp(pick_cpus(list, "3"), "0000:03:10.0"));
	zec_vf_list_free(list);
	return NULL;
}

static const char *test_release(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics()), *again;
	const struct zec_vf *v;

	CHECK(list);
	CHECK(!zec_vf_pick(list, 0, NULL, NULL, 1, &v));	/* for init */
	CHECK(lock_pid(zec_vf_pci_addr(v)) == 1 && zec_vf_owner(v) == 1);
	CHECK(zec_vf_release(list, v, getpid()) == -EPERM);
	CHECK(lock_pid(zec_vf_pci_addr(v)) == 1);
	CHECK(zec_vf_release(list, v, 1) == 0);
	CHECK(!lock_pid(zec_vf_pci_addr(v)) && !zec_vf_in_use(v));
	CHECK(zec_vf_release(list, v, 0) == -ENOENT);
	/* owner 0 releases whoever's: the operator's release */
	v = zec_vf_list_find(list, "0000:81:01.0");
	CHECK(zec_vf_release(list, v, 0) == 0 && !lock_pid("0000:81:01.0"));
	again = list_of(fixture_two_nics());
	CHECK(again);
	CHECK(zec_vf_release(list, zec_vf_list_at(again, 0), 0) == -EINVAL);
	zec_vf_list_free(again);
	zec_vf_list_free(list);
	return NULL;
}

/*
 * The temporary file a lock is written in, already there as a symlink:
 * replaced, never followed to truncate what it points to.
 */
static const char *test_lock_tmp_symlink(void)
{
	const char *root = fixture_two_nics();
	struct zec_vf_list *list = list_of(root);
	char victim[PATH_MAX], tmp[PATH_MAX + 64], buf[32] = "";
	FILE *fp;

	CHECK(list);
	snprintf(victim, sizeof(victim), "%s/victim", root);
	fp = fopen(victim, "w");
	CHECK(fp && fputs("precious\n", fp) >= 0 && !fclose(fp));
	snprintf(tmp, sizeof(tmp), "%s/.0000:03:10.0.%d", fixture_run_dir(),
		 (int)getpid());
	CHECK(!symlink(victim, tmp));
	CHECK(!strcmp(pick(list, 0), "0000:03:10.0"));
	CHECK(lock_pid("0000:03:10.0") == getpid());
	fp = fopen(victim, "r");
	CHECK(fp && fgets(buf, sizeof(buf), fp) && !fclose(fp));
	CHECK(!strcmp(buf, "precious\n"));
	CHECK(access(tmp, F_OK) && errno == ENOENT);
	zec_vf_list_free(list);
	return NULL;
}

/*
 * The takeover race: a shell reserving by hand (Documentation/vmm.md)
 * removes a stale lock and links its own between libzec's staleness check
 * and what libzec then does to the lock, its first unlink() or rename()
 * of it. These wrappers of the unit binary's own play that shell once.
 */
static char race_lock[PATH_MAX + 64];

static void race(const char *path)
{
	if (!race_lock[0] || strcmp(path, race_lock))
		return;
	race_lock[0] = 0;
	unlinkat(AT_FDCWD, path, 0);
	fixture_lock("0000:81:01.2", "1\n");	/* init's: live */
}

int unlink(const char *path)
{
	race(path);
	return unlinkat(AT_FDCWD, path, 0);
}

int rename(const char *old, const char *new)
{
	race(old);
	return renameat(AT_FDCWD, old, AT_FDCWD, new);
}

static const char *test_takeover_race(void)
{
	struct zec_vf_list *list = list_of(fixture_two_nics());

	CHECK(list);
	snprintf(race_lock, sizeof(race_lock), "%s/0000:81:01.2",
		 fixture_run_dir());
	/* 0000:81:01.2's lock is stale until the shell's replaces it */
	CHECK(!strcmp(pick(list, 1), "0000:81:01.1"));
	CHECK(!race_lock[0]);
	CHECK(lock_pid("0000:81:01.2") == 1);
	zec_vf_list_free(list);
	return NULL;
}

#define PICKERS 8

/*
 * PICKERS processes pick on node 0 at once, for this process: each of the
 * seven free VFs, all with a stale lock to reclaim, goes to exactly one,
 * the eighth finds none.
 */
static const char *test_concurrent(void)
{
	const char *root = fixture_two_nics();
	struct zec_vf_list *list = list_of(root);
	int start[2], results[2];
	char got[PICKERS][32], line[32], dead[16];
	pid_t pids[PICKERS];
	int i, j, busy = 0, stale = 0, status, ok = 1;
	size_t k;
	FILE *fp;

	CHECK(list);
	snprintf(dead, sizeof(dead), "%d", (int)fixture_dead_pid());
	for (k = 0; k < zec_vf_list_count(list); k++) {
		const struct zec_vf *v = zec_vf_list_at(list, k);

		if (zec_vf_owner(v) != getpid()) {
			fixture_lock(zec_vf_pci_addr(v), dead);
			stale++;
		}
	}
	zec_vf_list_free(list);
	CHECK(stale == PICKERS - 1);
	CHECK(root && !pipe(start) && !pipe(results));
	for (i = 0; i < PICKERS; i++) {
		pids[i] = fork();
		if (pids[i])
			continue;
		{
			struct zec_vf_list *list;
			const struct zec_vf *v;
			char c, out[32];
			int err, n;

			close(start[1]);
			if (read(start[0], &c, 1) < 0)
				_exit(2);
			err = zec_vf_list_get(root, fixture_run_dir(), &list);
			if (!err)
				err = zec_vf_pick(list, 0, NULL, NULL,
						  getppid(), &v);
			n = snprintf(out, sizeof(out), "%s\n",
				     err ? "busy" : zec_vf_pci_addr(v));
			if (write(results[1], out, (size_t)n) != n)
				_exit(2);
			_exit(err && err != -EBUSY ? 1 : 0);
		}
	}
	close(start[0]);
	close(results[1]);
	close(start[1]);	/* go */
	fp = fdopen(results[0], "r");
	CHECK(fp);
	for (i = 0; i < PICKERS && fgets(line, sizeof(line), fp); i++)
		snprintf(got[i], sizeof(got[i]), "%s", line);
	fclose(fp);
	for (j = 0; j < PICKERS; j++)
		ok &= waitpid(pids[j], &status, 0) == pids[j] &&
		      WIFEXITED(status) && !WEXITSTATUS(status);
	CHECK(ok && i == PICKERS);
	for (i = 0; i < PICKERS; i++) {
		busy += !strcmp(got[i], "busy\n");
		for (j = 0; j < i; j++)
			CHECK(strcmp(got[i], got[j]) || !strcmp(got[i], "busy\n"));
	}
	CHECK(busy == 1);
	CHECK(lock_pid("0000:03:10.0") == getpid());
	return NULL;
}

static const char *test_vhost(void)
{
	const char *root = fixture_two_nics();
	struct zec_vhost *v;

	CHECK(root);
	/* the node's CPUs the VM leaves free */
	CHECK(!zec_vhost_cpus(root, "0-1", NULL, NULL, &v));
	CHECK(zec_vhost_node(v) == 0 && zec_vhost_cpu_count(v) == 2);
	CHECK(zec_vhost_cpu_at(v, 0) == 2 && zec_vhost_cpu_at(v, 1) == 3);
	CHECK(zec_vhost_port_count(v) == 0 && !zec_vhost_port_at(v, 0));
	zec_vhost_free(v);
	/* all of them if it leaves none */
	CHECK(!zec_vhost_cpus(root, "3,2,1,0", NULL, NULL, &v));
	CHECK(zec_vhost_node(v) == 0 && zec_vhost_cpu_count(v) == 4);
	zec_vhost_free(v);
	/* the majority's node */
	CHECK(!zec_vhost_cpus(root, "4,5,0", NULL, NULL, &v));
	CHECK(zec_vhost_node(v) == 1 && zec_vhost_cpu_count(v) == 2);
	CHECK(zec_vhost_cpu_at(v, 0) == 6 && zec_vhost_cpu_at(v, 1) == 7);
	zec_vhost_free(v);
	CHECK(zec_vhost_cpus(root, "8", NULL, NULL, &v) == -ENOENT && !v);
	return NULL;
}

/* The zec ports serving the VM's node now, as the device reports them. */
static const char *test_vhost_ports(void)
{
	const char *root = fixture_two_nics();
	struct zec_port ports[] = {
		{ .ifindex = 7, .ifname = "eth0" },
		{ .ifindex = 8, .ifname = "eth2" },
		{ .ifindex = 9, .ifname = "eth3" },
	};
	uint32_t node0[] = { 8 }, node1[] = { 8, 9 };
	struct zec_node nodes[] = {
		{ .id = 0, .n_ports = 1, .port_ifindex = node0 },
		{ .id = 1, .n_ports = 2, .port_ifindex = node1 },
	};
	struct zec_port *pp[] = { &ports[0], &ports[1], &ports[2] };
	struct zec_node *np[] = { &nodes[0], &nodes[1] };
	struct zec_device dev = {
		.sz = sizeof(dev), .n_ports = 3, .ports = pp,
		.n_nodes = 2, .nodes = np,
	};
	struct zec_vhost *v;

	CHECK(root);
	/* node 0's own port is down: node 1's eth2 serves it */
	CHECK(!zec_vhost_cpus_for(NULL, root, "0", &dev, &v));
	CHECK(zec_vhost_port_count(v) == 1);
	CHECK(!strcmp(zec_vhost_port_at(v, 0), "eth2"));
	zec_vhost_free(v);
	CHECK(!zec_vhost_cpus_for(NULL, root, "4", &dev, &v));
	CHECK(zec_vhost_node(v) == 1 && zec_vhost_port_count(v) == 2);
	CHECK(!strcmp(zec_vhost_port_at(v, 0), "eth2"));
	CHECK(!strcmp(zec_vhost_port_at(v, 1), "eth3"));
	zec_vhost_free(v);
	/* a node the device does not serve: no port */
	dev.n_nodes = 1;
	CHECK(!zec_vhost_cpus_for(NULL, root, "4", &dev, &v));
	CHECK(zec_vhost_port_count(v) == 0);
	zec_vhost_free(v);
	return NULL;
}

/* Nodes of interleaved CPUs, as some two-socket machines number them. */
static const char *test_vhost_interleaved(void)
{
	const char *root = fixture_new();
	struct zec_vhost *v;

	CHECK(root);
	fixture_node(0, "0,2,4,6", "10 20");
	fixture_node(1, "1,3,5,7", "20 10");
	/* two each: the node of CPU 0, though node 1 has its two first */
	CHECK(!zec_vhost_cpus(root, "0,3,5,6", NULL, NULL, &v));
	CHECK(zec_vhost_node(v) == 0 && zec_vhost_cpu_count(v) == 2);
	CHECK(zec_vhost_cpu_at(v, 0) == 2 && zec_vhost_cpu_at(v, 1) == 4);
	zec_vhost_free(v);
	CHECK(!zec_vhost_cpus(root, "1,2,3", NULL, NULL, &v));
	CHECK(zec_vhost_node(v) == 1 && zec_vhost_cpu_count(v) == 2);
	CHECK(zec_vhost_cpu_at(v, 0) == 5 && zec_vhost_cpu_at(v, 1) == 7);
	zec_vhost_free(v);
	return NULL;
}

/* An RTM_NEWLINK of a PF with three VF_INFO nests, the last of VF 9. */
static struct nlmsghdr *vfinfo_message(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifla_vf_mac mac = { .vf = 0, .mac = { 0x52, 0x54, 0, 1, 2, 3 } };
	struct ifla_vf_vlan vlan = { .vf = 0, .vlan = 100 };
	struct nlattr *list, *info;
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth2");
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
	mnl_attr_put_u32(nlh, IFLA_VF_LINK_STATE, 0);
	mnl_attr_nest_end(nlh, info);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	memset(&mac, 0, sizeof(mac));
	mac.vf = 1;
	vlan.vf = 1;
	vlan.vlan = 0;
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
	mnl_attr_nest_end(nlh, info);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mac.vf = 9;
	mac.mac[0] = 2;
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

static const char *test_vfinfo_parse(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = vfinfo_message(buf);
	struct zec_vfinfo infos[3];
	struct nlattr *list, *info;

	CHECK(!zec_parse_vfinfo(nlh, nlh->nlmsg_len, infos, 3));
	CHECK(infos[0].has_mac && !memcmp(infos[0].mac, mac, 6));
	CHECK(infos[0].has_vlan && infos[0].vlan == 100);
	/* an all-zero MAC is none set; VLAN 0 is none */
	CHECK(!infos[1].has_mac && infos[1].has_vlan && !infos[1].vlan);
	/* beyond n: left out; not in the message: unknown */
	CHECK(!infos[2].has_mac && !infos[2].has_vlan);
	/* cut short, or of another type: refused */
	CHECK(zec_parse_vfinfo(nlh, nlh->nlmsg_len - 4, infos, 3) == -EINVAL);
	nlh->nlmsg_type = RTM_DELLINK;
	CHECK(zec_parse_vfinfo(nlh, nlh->nlmsg_len, infos, 3) == -EINVAL);
	/* a VF_MAC shorter than struct ifla_vf_mac: refused */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, IFLA_VF_MAC, 8, &(uint64_t){ 0 });
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	CHECK(zec_parse_vfinfo(nlh, nlh->nlmsg_len, infos, 3) == -EINVAL);
	return NULL;
}

/* Against the running kernel: lo has no VFs, a missing name is skipped. */
static const char *test_vfinfo_query(void)
{
	const char *root = fixture_new();
	static const struct fixture_fn pfs[] = {
		{ BR_A, "0000:03:00.0", ETH, "0", "ixgbe", "lo", NULL, "8" },
		{ BR_A, "0000:03:00.1", ETH, "0", "ixgbe", "nosuchdev9", NULL,
		  "8" },
	}, vfs[] = {
		{ BR_A, "0000:03:10.0", ETH, "0", "vfio-pci", NULL, NULL, NULL },
		{ BR_A, "0000:03:10.1", ETH, "0", "vfio-pci", NULL, NULL, NULL },
	};
	struct zec_vf_list *list;
	struct zec_handle *h;

	CHECK(root);
	fixture_pci(&pfs[0]);
	fixture_pci(&pfs[1]);
	fixture_vf(BR_A, pfs[0].pci, 0, &vfs[0]);
	fixture_vf(BR_A, pfs[1].pci, 0, &vfs[1]);
	fixture_node(0, "0-3", "10");
	list = list_of(root);
	CHECK(list && zec_vf_list_count(list) == 2);
	CHECK(zec_vf_vlan(zec_vf_list_at(list, 0)) == -1);
	CHECK(!zec_open(&h));
	CHECK(!zec_vf_list_link_info(list, h));
	zec_close(h);
	CHECK(!zec_vf_mac(zec_vf_list_at(list, 0)));
	CHECK(zec_vf_vlan(zec_vf_list_at(list, 1)) == -1);
	zec_vf_list_free(list);
	fixture_cleanup();
	return NULL;
}

/*
 * A virtfn index at or past sriov_totalvfs (4294967295 wrapped the size
 * of the link info array to 0) is no VF of the kernel's: skipped.
 */
static const char *test_virtfn_index_bound(void)
{
	const char *root = fixture_new();
	static const struct fixture_fn pf = {
		BR_A, "0000:03:00.0", ETH, "0", "ixgbe", "lo", NULL, "8"
	}, vfs[] = {
		{ BR_A, "0000:03:10.0", ETH, "0", "vfio-pci", NULL, NULL, NULL },
		{ BR_A, "0000:03:10.1", ETH, "0", "vfio-pci", NULL, NULL, NULL },
		{ BR_A, "0000:03:10.2", ETH, "0", "vfio-pci", NULL, NULL, NULL },
	};
	struct zec_vf_list *list;
	struct zec_handle *h;

	CHECK(root);
	fixture_pci(&pf);
	fixture_vf(BR_A, pf.pci, 7, &vfs[0]);
	fixture_vf(BR_A, pf.pci, 8, &vfs[1]);
	fixture_vf(BR_A, pf.pci, UINT_MAX, &vfs[2]);
	fixture_node(0, "0-3", "10");
	list = list_of(root);
	CHECK(list && zec_vf_list_count(list) == 1);
	CHECK(!strcmp(zec_vf_pci_addr(zec_vf_list_at(list, 0)), vfs[0].pci));
	CHECK(!zec_open(&h));
	CHECK(!zec_vf_list_link_info(list, h));
	zec_close(h);
	zec_vf_list_free(list);
	fixture_cleanup();
	return NULL;
}

static const char *test_bad_cpulists(void)
{
	static const char *const bad[] = {
		"", "x", "3-1", "1,", ",1", "1,,2", "1-", "-1", " 1", "1 ",
		"65536", "0-65536", "1-2-3", "99999999999999999999",
	};
	const char *root = fixture_two_nics();
	static char why[64];
	struct zec_vhost *v;
	size_t i;

	CHECK(root);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (zec_vhost_cpus(root, bad[i], NULL, NULL, &v) == -EINVAL)
			continue;
		snprintf(why, sizeof(why), "cpu list \"%s\" accepted", bad[i]);
		zec_vhost_free(v);
		return why;
	}
	fixture_cleanup();
	return NULL;
}

/* Is the last error of h one that contains text? */
static bool says(const struct zec_handle *h, const char *text)
{
	const char *msg = zec_last_error(h);

	return msg && strstr(msg, text);
}

/* The library's own errors explain themselves on h, for that call only. */
static const char *test_errors(void)
{
	const char *root = fixture_two_nics();
	struct zec_vf_list *list = list_of(root);
	const struct zec_vf *vf;
	struct zec_vhost *v;
	struct zec_handle *h;

	CHECK(list && !zec_open(&h));
	CHECK(zec_vf_pick(list, 7, h, NULL, 0, &vf) == -ENOENT);
	CHECK(says(h, "node 7 is not in the NUMA topology"));
	CHECK(zec_vf_pick_cpus(list, "1-", h, NULL, 0, &vf) == -EINVAL);
	CHECK(says(h, "invalid CPU list \"1-\""));
	CHECK(zec_vf_pick_cpus(list, "999", h, NULL, 0, &vf) == -ENOENT);
	CHECK(says(h, "CPU list \"999\" names a CPU on no node"));
	CHECK(zec_vhost_cpus(root, NULL, h, NULL, &v) == -EINVAL);
	CHECK(says(h, "no CPU list"));
	CHECK(!zec_vf_pick_cpus(list, "0", h, NULL, 0, &vf));
	CHECK(!zec_last_error(h));
	CHECK(zec_vf_pick(list, -1, h, NULL, 0, &vf) == -EINVAL);
	CHECK(says(h, "node -1 or the owner is negative"));
	CHECK(!zec_vhost_cpus(root, "0", h, NULL, &v));
	CHECK(!zec_last_error(h));
	zec_vhost_free(v);
	/* gone after the next call too, even one that asks the kernel nothing */
	CHECK(zec_vf_pick(list, 7, h, NULL, 0, &vf) == -ENOENT);
	zec_vf_list_free(list);
	fixture_cleanup();
	list = list_of(fixture_new());
	CHECK(list && !zec_vf_list_count(list));
	CHECK(!zec_vf_list_link_info(list, h));
	CHECK(!zec_last_error(h));
	zec_close(h);
	zec_vf_list_free(list);
	fixture_cleanup();
	return NULL;
}

/* The plan as "OLD>NEW ..." (NEW "-": none), or the error as text. */
static const char *plan_text(struct zec_vf_list *list,
			     const struct zec_device *dev, pid_t owner)
{
	static char buf[256];
	struct zec_reattach_plan *plan;
	const struct zec_reattach *r;
	size_t i, len = 0;
	int err = zec_reattach_plan_get(list, dev, owner, &plan);

	buf[0] = 0;
	if (err) {
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
		return buf;
	}
	for (i = 0; (r = zec_reattach_plan_at(plan, i)); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s>%s",
					i ? " " : "",
					zec_vf_pci_addr(zec_reattach_old(r)),
					zec_reattach_new(r) ?
					zec_vf_pci_addr(zec_reattach_new(r)) :
					"-");
	if (i != zec_reattach_plan_count(plan))
		snprintf(buf, sizeof(buf), "count %zu, %zu entries",
			 zec_reattach_plan_count(plan), i);
	zec_reattach_plan_free(plan);
	return buf;
}

/* A zec device of ports p0 (node 0) and p1 (node 1), p1 in state p1. */
#define REATTACH_DEV(name, p1_state)					\
	struct zec_port name##_ports[] = {				\
		{ .ifname = "p0", .enabled = true,			\
		  .state = ZEC_PORT_STATE_UP },				\
		{ .ifname = "p1", .enabled = true, .state = (p1_state) }, \
	};								\
	struct zec_port *name##_pp[] = { &name##_ports[0],		\
					 &name##_ports[1] };		\
	struct zec_device name = { .sz = sizeof(name), .n_ports = 2,	\
				   .ports = name##_pp }

/*
 * p1 down: its held VFs move to node 0, a healthy zec port's VFs first,
 * never to p1's free VF though it is on their node, never one twice.
 */
static const char *test_reattach(void)
{
	const char *root = fixture_reattach("p0", "p1", getpid());
	struct zec_vf_list *list = list_of(root);
	REATTACH_DEV(up, ZEC_PORT_STATE_UP);
	REATTACH_DEV(down, ZEC_PORT_STATE_DOWN);

	CHECK(list);
	CHECK(!strcmp(plan_text(list, &up, 0), ""));
	/* disabled is not serving either */
	up_ports[1].enabled = false;
	CHECK(!strcmp(plan_text(list, &up, 0), "0000:81:01.0>0000:03:10.0"));
	CHECK(lock_pid("0000:03:10.0") == getpid());
	CHECK(zec_vf_owner(zec_vf_list_find(list, "0000:03:10.0")) ==
	      getpid());
	/* the old VF stays reserved until the caller releases it */
	CHECK(lock_pid("0000:81:01.0") == getpid());
	CHECK(!lock_pid("0000:81:01.1"));
	zec_vf_list_free(list);
	/* two held now; 03:10.0 is the first plan's */
	fixture_lock("0000:81:01.1", "1");
	list = list_of(root);
	CHECK(list);
	CHECK(!strcmp(plan_text(list, &down, 0),
		      "0000:81:01.0>0000:03:10.2 0000:81:01.1>0000:03:10.1"));
	CHECK(lock_pid("0000:03:10.1") == 1);	/* the old VF's owner */
	/* nothing left but nothing to give either */
	CHECK(!strcmp(plan_text(list, &down, 0),
		      "0000:81:01.0>- 0000:81:01.1>-"));
	zec_vf_list_free(list);
	return NULL;
}

/* Only the VFs of an owner; and with none but the down PF's VF free. */
static const char *test_reattach_owner(void)
{
	const char *root = fixture_reattach("p0", "p1", getpid());
	struct zec_vf_list *list;
	REATTACH_DEV(down, ZEC_PORT_STATE_DOWN);

	CHECK(root);
	fixture_lock("0000:03:10.0", "1");
	fixture_lock("0000:03:10.1", "1");
	fixture_lock("0000:03:10.2", "1");
	list = list_of(root);
	CHECK(list);
	CHECK(!strcmp(plan_text(list, &down, 1), ""));
	CHECK(!strcmp(plan_text(list, &down, -1), strerror(EINVAL)));
	CHECK(!strcmp(plan_text(list, &down, getpid()), "0000:81:01.0>-"));
	CHECK(!lock_pid("0000:81:01.1"));
	zec_vf_list_free(list);
	return NULL;
}

/* Without a zec device: a PF down by operstate (eth1 of two_nics). */
static const char *test_reattach_sysfs(void)
{
	const char *root = fixture_two_nics();
	struct zec_vf_list *list;

	CHECK(root);
	fixture_lock("0000:03:10.1", "1");
	list = list_of(root);
	CHECK(list);
	CHECK(!strcmp(plan_text(list, NULL, 0), "0000:03:10.1>0000:03:10.0"));
	zec_vf_list_free(list);
	return NULL;
}

/* Four nodes: node 1's VFs go to node 3 (16), then node 2 (22), not 0. */
static const char *test_reattach_four_nodes(void)
{
	const char *root = fixture_four_nodes();
	static const struct fixture_fn pfs[] = {
		{ BR_C, "0000:01:00.0", ETH, "0", "ice", "eth2", NULL, "8" },
		{ BR_C, "0000:c1:00.0", ETH, "3", "ice", "eth3", NULL, "8" },
	}, vfs[] = {
		{ BR_C, "0000:01:10.0", ETH, "0", "vfio-pci", NULL, NULL, NULL },
		{ BR_C, "0000:c1:10.0", ETH, "3", "vfio-pci", NULL, NULL, NULL },
	};
	struct zec_port port = { .ifname = "eth0", .enabled = true,
				 .state = ZEC_PORT_STATE_DOWN };
	struct zec_port *pp[] = { &port };
	struct zec_device dev = { .sz = sizeof(dev), .n_ports = 1,
				  .ports = pp };
	struct zec_vf_list *list;
	char pid[16];

	CHECK(root);
	fixture_pci(&pfs[0]);
	fixture_pci(&pfs[1]);
	fixture_vf(BR_C, pfs[0].pci, 0, &vfs[0]);
	fixture_vf(BR_C, pfs[1].pci, 0, &vfs[1]);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	fixture_lock("0000:41:10.0", pid);
	fixture_lock("0000:41:10.1", pid);
	list = list_of(root);
	CHECK(list);
	CHECK(!strcmp(plan_text(list, &dev, 0),
		      "0000:41:10.0>0000:c1:10.0 0000:41:10.1>0000:81:10.0"));
	zec_vf_list_free(list);
	return NULL;
}

const struct unit_test vf_tests[] = {
	{ "vf list: PFs, VFs, nodes, drivers, reservations", test_list },
	{ "vf list: a switchdev PF's netdev, not a representor",
	  test_switchdev },
	{ "vf list: ZEC_SYSFS_ROOT, ZEC_RUN_DIR, an empty tree",
	  test_environment },
	{ "vf pick: by node, vfio-pci first, stale lock reclaimed",
	  test_pick_node },
	{ "vf pick: nearest node by distance, unknown node and down port last",
	  test_pick_fallback },
	{ "vf pick: a healthy zec port first, a down one last",
	  test_pick_zec_health },
	{ "vf pick: by CPU list", test_pick_cpus },
	{ "vf pick: without NUMA in sysfs, -1 is node 0", test_no_numa },
	{ "vf release: owner checked, lock removed", test_release },
	{ "vf pick: a live lock made during a takeover is kept",
	  test_takeover_race },
	{ "vf pick: a planted lock temp file is not followed",
	  test_lock_tmp_symlink },
	{ "vf pick: 8 processes at once, no VF given twice", test_concurrent },
	{ "vhost cpus: node, free CPUs of the node", test_vhost },
	{ "vhost cpus: the zec ports serving the node", test_vhost_ports },
	{ "vhost cpus: interleaved nodes, a tie to the lowest CPU's node",
	  test_vhost_interleaved },
	{ "vhost cpus: bad CPU lists refused", test_bad_cpulists },
	{ "vf MAC and VLAN: IFLA_VFINFO_LIST parsed, bad ones refused",
	  test_vfinfo_parse },
	{ "vf MAC and VLAN: asked of the running kernel", test_vfinfo_query },
	{ "vf list: virtfn indices at or past sriov_totalvfs skipped",
	  test_virtfn_index_bound },
	{ "vf pick, vhost cpus: their own errors have messages on h",
	  test_errors },
	{ "reattach plan: held VFs of a down port to the nearest live PF",
	  test_reattach },
	{ "reattach plan: one owner's VFs; never a down PF's VF",
	  test_reattach_owner },
	{ "reattach plan: without a zec device, by operstate",
	  test_reattach_sysfs },
	{ "reattach plan: four nodes, nearest by distance first",
	  test_reattach_four_nodes },
	{ NULL, NULL },
};
