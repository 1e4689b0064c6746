/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs fixtures for the VF placement tests (fixture.c).
 */
#ifndef ZEC_FIXTURE_H
#define ZEC_FIXTURE_H

#include <limits.h>
#include <sys/types.h>

#define ETH "0x020000"
#define NVME "0x010802"
#define BR_A "0000:00:01.0"
#define BR_B "0000:80:01.0"
#define BR_C "0000:00:02.0"

/* One PCI function. */
struct fixture_fn {
	const char *bridge;		/* root port, e.g. "0000:00:01.0" */
	const char *pci;		/* "0000:03:00.0" */
	const char *class;		/* "0x020000" for Ethernet */
	const char *node;		/* numa_node: "0", "-1" */
	const char *driver;		/* NULL: unbound */
	const char *ifname;		/* NULL: no netdev */
	const char *operstate;		/* NULL: "up" */
	const char *total_vfs;		/* NULL: no SR-IOV */
};

/* A fresh empty tree (the previous one removed); its root. */
const char *fixture_new(void);
void fixture_cleanup(void);
/* ROOT/run, the run directory of the tests. */
const char *fixture_run_dir(void);

void fixture_pci(const struct fixture_fn *fn);
/* A VF of PF pf (under root port bridge) as virtfn index. */
void fixture_vf(const char *bridge, const char *pf, unsigned int index,
		const struct fixture_fn *fn);
/* One more netdev of fn, with a phys_port_name if not NULL. */
void fixture_netdev(const struct fixture_fn *fn, const char *ifname,
		    const char *phys_port_name);
/* Only the virtfn link of pf to vf (no physfn back-link). */
void fixture_virtfn(const char *bridge, const char *pf, unsigned int index,
		    const char *vf);
void fixture_node(int id, const char *cpulist, const char *distance);
void fixture_cpus_online(const char *cpulist);
/* A pid that is certainly dead: a reaped child's. */
pid_t fixture_dead_pid(void);
/* A lock file in the run directory. */
void fixture_lock(const char *pci, const char *content);

/*
 * Two dual-port NICs on nodes 0 and 1, a single-port NIC of no node, an
 * SR-IOV NVMe drive and a NIC without SR-IOV; VF 0000:81:01.0 is held by
 * this process, 0000:81:01.2 by a dead one; port eth1 is down. Its root.
 */
const char *fixture_two_nics(void);
/*
 * Two dual-port NICs on nodes 0 and 1, PFs named port0 and eth1, port1
 * and eth3; VF 0000:81:01.0 of port1 held by owner (fixture.c says
 * more). Shared with the in-guest selftests/zec/reattach.sh through
 * libzec/tests/build/sysfs-fixture. Its root.
 */
const char *fixture_reattach(const char *port0, const char *port1,
			     pid_t owner);
/* Four nodes; VFs on nodes 1 and 2 (test-vf.c says which). */
const char *fixture_four_nodes(void);

#endif /* ZEC_FIXTURE_H */
