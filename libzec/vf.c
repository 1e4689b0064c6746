// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VF placement and vhost placement from sysfs alone: the SR-IOV network
 * PFs, their VFs and the NUMA nodes, read under a configurable root, and
 * a reservation of VFs by lock files that a VMM and an operator's scripts
 * can share (Documentation/vmm.md gives the format).
 *
 * Nodes: a device's numa_node is -1 when the firmware gave no affinity
 * (the kernel's NUMA_NO_NODE: "any node"). A VF with -1 takes its PF's
 * node; with -1 there too it is on no known node, unless the machine has
 * a single node, which is then every device's node.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "internal.h"

#define DEFAULT_SYSFS_ROOT "/sys"
#define DEFAULT_RUN_DIR "/run/zec/vf"
/* CPU numbers accepted in a CPU list; above any machine's CONFIG_NR_CPUS */
#define CPU_LIMIT 65536
#define PCI_ADDR_SIZE 32
/* TotalVFs of the SR-IOV capability is a 16-bit register. */
#define TOTAL_VFS_LIMIT 65535
#define NO_NODE (-1)

struct zec_pf {
	char pci[PCI_ADDR_SIZE];
	char ifname[IF_NAMESIZE];	/* "" without a netdev */
	int node;
	bool down;			/* its netdev's operstate says down */
	unsigned int total_vfs;
	size_t n_vfs;
	struct zec_vf *vfs;		/* into zec_vf_list.vfs */
};

struct zec_vf {
	char pci[PCI_ADDR_SIZE];
	unsigned int index;
	int node;			/* effective, see above */
	char driver[64];		/* "" when unbound */
	char ifname[IF_NAMESIZE];	/* "" without a netdev */
	struct zec_pf *pf;
	pid_t owner;			/* 0 free, -1 held by an unreadable lock */
	bool has_link_info;		/* from zec_vf_list_link_info() */
	struct zec_vfinfo info;
};

/* A NUMA node, from ROOT/devices/system/node/nodeN. */
struct numa_node {
	int id;
	size_t n_cpus;
	unsigned int *cpus;		/* ascending */
	unsigned int *distance;		/* [i]: to nodes[i]; NULL if unknown */
};

struct numa {
	size_t n_nodes;
	struct numa_node *nodes;	/* ascending id */
};

struct zec_vf_list {
	char *run_dir;
	size_t n_pfs;
	struct zec_pf *pfs;
	size_t n_vfs;
	struct zec_vf *vfs;
	struct numa numa;
};

struct zec_vhost {
	int node;
	size_t n_cpus;
	unsigned int *cpus;
	size_t n_ports;
	char (*ports)[ZEC_IFNAMSIZ];
};

/* qsort, which must not be given a NULL array even of no elements */
static void sort(void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(base, n, size, cmp);
}

static const char *sysfs_root(const char *root)
{
	if (!root)
		root = getenv("ZEC_SYSFS_ROOT");
	return root && root[0] ? root : DEFAULT_SYSFS_ROOT;
}

static const char *run_dir(const char *dir)
{
	if (!dir)
		dir = getenv("ZEC_RUN_DIR");
	return dir && dir[0] ? dir : DEFAULT_RUN_DIR;
}

/* A path from a format; -ENAMETOOLONG if it does not fit. */
static int __attribute__((format(printf, 2, 3)))
path_of(char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* A small file's first line, without its newline; negative errno. */
static int read_line(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* A decimal integer file; -EINVAL if it holds anything else. */
static int read_long(const char *path, long *value)
{
	char buf[32], *end;
	int err = read_line(path, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*value = strtol(buf, &end, 10);
	return errno || end == buf || *end ? -EINVAL : 0;
}

/* The last component of a symlink's target into buf ("" if no link). */
static void link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	buf[0] = 0;
	if (n <= 0)
		return;
	target[n] = 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < size)	/* a longer one is no name we know */
		memcpy(buf, base, strlen(base) + 1);
}

/*
 * A representor in switchdev mode: its phys_port_name is "pfNvfM" (of a
 * VF) or "pfNsfM" (of a subfunction). They sit in the PF's net/ too.
 */
static bool is_representor(const char *net, const char *name)
{
	char path[PATH_MAX], port[32];
	unsigned int pf, fn;
	char kind;

	return !path_of(path, "%s/%s/phys_port_name", net, name) &&
	       !read_line(path, port, sizeof(port)) &&
	       sscanf(port, "pf%u%cf%u", &pf, &kind, &fn) == 3 &&
	       (kind == 'v' || kind == 's');
}

/*
 * The netdev of a PCI function from its net/ directory, "" if none: of
 * several (ports of one function, representors), the first by name that
 * is not a representor.
 */
static void function_netdev(const char *net, char *buf, size_t size)
{
	DIR *dir = opendir(net);
	struct dirent *de;
	size_t len;

	buf[0] = 0;
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len >= size ||
		    (buf[0] && strcmp(de->d_name, buf) > 0) ||
		    is_representor(net, de->d_name))
			continue;
		memcpy(buf, de->d_name, len + 1);
	}
	closedir(dir);
}

static int read_node(const char *root, const char *pci)
{
	char path[PATH_MAX];
	long node;

	if (path_of(path, "%s/bus/pci/devices/%s/numa_node", root, pci) ||
	    read_long(path, &node) || node < 0 || node > INT_MAX)
		return NO_NODE;
	return (int)node;
}

/*
 * A CPU list as the kernel prints it ("0-3,8,10-11") into an ascending
 * array without duplicates; -EINVAL if malformed. An empty list is valid
 * only if empty_ok (a node without CPUs).
 */
static int parse_cpulist(const char *list, bool empty_ok, unsigned int **cpus,
			 size_t *n)
{
	unsigned char *set = calloc(CPU_LIMIT, 1);
	const char *p = list;
	unsigned long lo, hi, cpu;
	char *end;
	int err = 0;

	*cpus = NULL;
	*n = 0;
	if (!set)
		return -ENOMEM;
	while (*p) {
		if (*p < '0' || *p > '9')
			goto invalid;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				goto invalid;
			hi = strtoul(end + 1, &end, 10);
		}
		if (lo > hi || hi >= CPU_LIMIT || (*end && *end != ','))
			goto invalid;
		for (cpu = lo; cpu <= hi; cpu++)
			set[cpu] = 1;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			goto invalid;	/* trailing comma */
	}
	if (p == list && !empty_ok)
		goto invalid;
	for (cpu = 0; cpu < CPU_LIMIT; cpu++)
		*n += set[cpu];
	*cpus = calloc(*n ? *n : 1, sizeof(**cpus));
	if (!*cpus) {
		err = -ENOMEM;
		goto out;
	}
	*n = 0;
	for (cpu = 0; cpu < CPU_LIMIT; cpu++)
		if (set[cpu])
			(*cpus)[(*n)++] = (unsigned int)cpu;
	goto out;
invalid:
	err = -EINVAL;
out:
	free(set);
	return err;
}

static bool has_cpu(const unsigned int *cpus, size_t n, unsigned int cpu)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cpus[i] == cpu)
			return true;
	return false;
}

static void numa_free(struct numa *numa)
{
	size_t i;

	for (i = 0; i < numa->n_nodes; i++) {
		free(numa->nodes[i].cpus);
		free(numa->nodes[i].distance);
	}
	free(numa->nodes);
	memset(numa, 0, sizeof(*numa));
}

static int cmp_node(const void *a, const void *b)
{
	const struct numa_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* ROOT/devices/system/node/nodeN/distance: one number per node, in order. */
static void read_distances(const char *root, struct numa *numa,
			   struct numa_node *node)
{
	char path[PATH_MAX], buf[4096], *p, *end;
	size_t i;

	if (path_of(path, "%s/devices/system/node/node%d/distance", root,
		    node->id) || read_line(path, buf, sizeof(buf)))
		return;
	node->distance = calloc(numa->n_nodes, sizeof(*node->distance));
	if (!node->distance)
		return;
	for (i = 0, p = buf; i < numa->n_nodes; i++, p = end) {
		unsigned long d = strtoul(p, &end, 10);

		if (end == p || d > UINT_MAX)
			break;
		node->distance[i] = (unsigned int)d;
	}
	if (i < numa->n_nodes) {	/* not one per node: unknown */
		free(node->distance);
		node->distance = NULL;
	}
}

/*
 * The nodes under ROOT/devices/system/node; without that directory (a
 * kernel without NUMA) one node 0 with ROOT/devices/system/cpu/online.
 */
static int numa_get(const char *root, struct numa *numa)
{
	char path[PATH_MAX], buf[4096];
	struct numa_node *grown;
	struct dirent *de;
	DIR *dir;
	size_t i;
	int id, err = 0;

	memset(numa, 0, sizeof(*numa));
	err = path_of(path, "%s/devices/system/node", root);
	if (err)
		return err;
	dir = opendir(path);
	if (!dir) {
		numa->nodes = calloc(1, sizeof(*numa->nodes));
		if (!numa->nodes)
			return -ENOMEM;
		numa->n_nodes = 1;
		if (path_of(path, "%s/devices/system/cpu/online", root) ||
		    read_line(path, buf, sizeof(buf)))
			buf[0] = 0;
		return parse_cpulist(buf, true, &numa->nodes[0].cpus,
				     &numa->nodes[0].n_cpus);
	}
	while (!err && (de = readdir(dir))) {
		char tail;

		if (sscanf(de->d_name, "node%d%c", &id, &tail) != 1 || id < 0)
			continue;
		grown = reallocarray(numa->nodes, numa->n_nodes + 1,
				     sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		numa->nodes = grown;
		memset(&grown[numa->n_nodes], 0, sizeof(*grown));
		grown[numa->n_nodes++].id = id;
	}
	closedir(dir);
	if (!err)
		sort(numa->nodes, numa->n_nodes, sizeof(*numa->nodes),
		      cmp_node);
	for (i = 0; !err && i < numa->n_nodes; i++) {
		struct numa_node *node = &numa->nodes[i];

		err = path_of(path, "%s/devices/system/node/node%d/cpulist",
			      root, node->id);
		if (!err && read_line(path, buf, sizeof(buf)))
			buf[0] = 0;
		if (!err)
			err = parse_cpulist(buf, true, &node->cpus,
					    &node->n_cpus);
		/* a cpulist we cannot read leaves the node without CPUs */
		if (err == -EINVAL)
			err = 0;
		read_distances(root, numa, node);
	}
	if (err)
		numa_free(numa);
	return err;
}

static const struct numa_node *numa_node_of(const struct numa *numa, int id)
{
	size_t i;

	for (i = 0; i < numa->n_nodes; i++)
		if (numa->nodes[i].id == id)
			return &numa->nodes[i];
	return NULL;
}

/*
 * The node of a CPU list: the node holding most of its CPUs; on a tie the
 * one holding the lowest-numbered CPU among them. -ENOENT if a CPU is on
 * no node (not present on this machine).
 */
static int cpus_node(const struct numa *numa, const unsigned int *cpus,
		     size_t n, int *node)
{
	size_t i, j, best, *count, *first;
	int err = 0;

	*node = NO_NODE;
	count = calloc(numa->n_nodes + 1, sizeof(*count));
	first = calloc(numa->n_nodes + 1, sizeof(*first));
	if (!count || !first) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < numa->n_nodes; j++)
			if (has_cpu(numa->nodes[j].cpus,
				    numa->nodes[j].n_cpus, cpus[i]))
				break;
		if (j == numa->n_nodes) {
			err = -ENOENT;
			goto out;
		}
		if (!count[j]++)
			first[j] = i;	/* cpus ascend: its lowest CPU */
	}
	for (j = 0, best = numa->n_nodes; j < numa->n_nodes; j++)
		if (count[j] && (best == numa->n_nodes ||
				 count[j] > count[best] ||
				 (count[j] == count[best] &&
				  first[j] < first[best])))
			best = j;
	if (best < numa->n_nodes)
		*node = numa->nodes[best].id;
out:
	free(count);
	free(first);
	return err;
}

/*
 * The CPU list text into *cpus (free it) and its node, as cpus_node();
 * the errors with a message on h (which may be NULL).
 */
static int cpulist_node(struct zec_handle *h, const struct numa *numa,
			const char *text, unsigned int **cpus, size_t *n,
			int *node)
{
	int err;

	*cpus = NULL;
	if (!text)
		return zec_error(h, -EINVAL, "no CPU list");
	err = parse_cpulist(text, false, cpus, n);
	if (err == -EINVAL)
		return zec_error(h, err, "invalid CPU list \"%s\"", text);
	if (!err)
		err = cpus_node(numa, *cpus, *n, node);
	if (err == -ENOENT)
		return zec_error(h, err,
				 "CPU list \"%s\" names a CPU on no node", text);
	return err;
}

/* distance from node a to node b; UINT_MAX if either is unknown. */
static unsigned int node_distance(const struct numa *numa, int a, int b)
{
	const struct numa_node *from = numa_node_of(numa, a);
	size_t i;

	if (a == NO_NODE || b == NO_NODE)
		return UINT_MAX;
	if (a == b)
		return 0;
	if (!from || !from->distance)
		return UINT_MAX - 1;
	for (i = 0; i < numa->n_nodes; i++)
		if (numa->nodes[i].id == b)
			return from->distance[i];
	return UINT_MAX - 1;
}

/* Reservation lock files: see Documentation/vmm.md. */

/*
 * The owner of pci's lock in dir: 0 if there is none or its pid is dead
 * (stale), -1 if it holds no pid (being written, or foreign), else the pid.
 */
static pid_t lock_owner(const char *dir, const char *pci)
{
	char path[PATH_MAX];
	long pid;

	if (path_of(path, "%s/%s", dir, pci))
		return -1;
	if (read_long(path, &pid))
		return access(path, F_OK) ? 0 : -1;
	if (pid <= 0 || pid > INT_MAX)
		return -1;
	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return 0;
	return (pid_t)pid;
}

#define LOCK_TMP_FLAGS \
	(O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* Create pci's lock holding owner, complete or not at all. */
static int lock_create(const char *dir, const char *pci, pid_t owner)
{
	char tmp[PATH_MAX], path[PATH_MAX], buf[32];
	int fd, len, err = 0;

	if (path_of(tmp, "%s/.%s.%d", dir, pci, (int)getpid()) ||
	    path_of(path, "%s/%s", dir, pci))
		return -ENAMETOOLONG;
	fd = open(tmp, LOCK_TMP_FLAGS, 0644);
	/* left by a picker of this pid that died, or planted: never followed */
	if (fd < 0 && errno == EEXIST && !unlink(tmp))
		fd = open(tmp, LOCK_TMP_FLAGS, 0644);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", (int)owner);
	if (write(fd, buf, (size_t)len) != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	/* link() never replaces: of two creators one gets EEXIST */
	if (!err && link(tmp, path))
		err = -errno;
	unlink(tmp);
	return err;
}

/* The run directory, created if missing, locked against other pickers. */
static int lock_dir(const char *dir)
{
	char path[PATH_MAX], *p;
	int fd;

	if (path_of(path, "%s", dir))
		return -ENAMETOOLONG;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * Reserve pci for owner, reclaiming a stale lock; -EBUSY if held. Other
 * libzec pickers wait on the directory lock, a shell's ln (vmm.md) does
 * not: a stale lock is renamed aside and read again there, and put back
 * if it is a live one made since, never unlinked unread.
 */
static int lock_take(const char *dir, const char *pci, pid_t owner)
{
	char path[PATH_MAX], aside[PATH_MAX], name[PATH_MAX];
	int err = lock_create(dir, pci, owner);

	if (err != -EEXIST)
		return err;
	if (lock_owner(dir, pci))
		return -EBUSY;
	if (path_of(name, ".%s.stale.%d", pci, (int)getpid()) ||
	    path_of(path, "%s/%s", dir, pci) ||
	    path_of(aside, "%s/%s", dir, name))
		return -ENAMETOOLONG;
	if (rename(path, aside) && errno != ENOENT)
		return -EBUSY;
	if (lock_owner(dir, name)) {
		/*
		 * Put it back. If a lock was made there since (EEXIST), that
		 * one holds the VF; on any other failure this one is kept
		 * aside rather than lost.
		 */
		if (!link(aside, path) || errno == EEXIST)
			unlink(aside);
		return -EBUSY;
	}
	unlink(aside);
	err = lock_create(dir, pci, owner);
	return err == -EEXIST ? -EBUSY : err;
}

/* The VF list. */

static int cmp_pf(const void *a, const void *b)
{
	return strcmp(((const struct zec_pf *)a)->pci,
		      ((const struct zec_pf *)b)->pci);
}

static int cmp_vf(const void *a, const void *b)
{
	const struct zec_vf *x = a, *y = b;
	int c = strcmp(x->pf->pci, y->pf->pci);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* A network-class PCI function with SR-IOV capability? */
static bool is_sriov_nic(const char *root, const char *pci)
{
	char path[PATH_MAX], class[16];

	if (path_of(path, "%s/bus/pci/devices/%s/class", root, pci) ||
	    read_line(path, class, sizeof(class)) ||
	    strncmp(class, "0x02", 4))
		return false;
	return !path_of(path, "%s/bus/pci/devices/%s/sriov_totalvfs", root,
			pci) && !access(path, F_OK);
}

static void read_pf(const char *root, struct zec_pf *pf)
{
	char path[PATH_MAX], state[32];
	long total;

	pf->node = read_node(root, pf->pci);
	if (!path_of(path, "%s/bus/pci/devices/%s/sriov_totalvfs", root,
		     pf->pci) && !read_long(path, &total) && total > 0 &&
	    total <= TOTAL_VFS_LIMIT)
		pf->total_vfs = (unsigned int)total;
	if (!path_of(path, "%s/bus/pci/devices/%s/net", root, pf->pci))
		function_netdev(path, pf->ifname, sizeof(pf->ifname));
	if (pf->ifname[0] &&
	    !path_of(path, "%s/bus/pci/devices/%s/net/%s/operstate", root,
		     pf->pci, pf->ifname) &&
	    !read_line(path, state, sizeof(state)))
		pf->down = !strcmp(state, "down") ||
			   !strcmp(state, "lowerlayerdown");
}

/* Append the VFs of pfs[i] (virtfnN links) to list->vfs. */
static int read_vfs(const char *root, struct zec_vf_list *list, size_t i)
{
	char path[PATH_MAX], back[PCI_ADDR_SIZE];
	struct zec_pf *pf = &list->pfs[i];
	struct zec_vf *grown, *vf;
	struct dirent *de;
	unsigned int index;
	DIR *dir;
	int err = 0;
	char tail;

	err = path_of(path, "%s/bus/pci/devices/%s", root, pf->pci);
	dir = err ? NULL : opendir(path);
	if (!dir)
		return err;
	while ((de = readdir(dir))) {
		/* the kernel numbers VFs below TotalVFs, so bounds arrays */
		if (sscanf(de->d_name, "virtfn%u%c", &index, &tail) != 1 ||
		    index >= pf->total_vfs)
			continue;
		grown = reallocarray(list->vfs, list->n_vfs + 1,
				     sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		list->vfs = grown;
		vf = &grown[list->n_vfs];
		memset(vf, 0, sizeof(*vf));
		vf->index = index;
		vf->pf = (struct zec_pf *)i;	/* an index until sorted */
		if (path_of(path, "%s/bus/pci/devices/%s/%s", root, pf->pci,
			    de->d_name))
			continue;
		link_name(path, vf->pci, sizeof(vf->pci));
		/* the physfn back-link must name this PF */
		if (!vf->pci[0] ||
		    path_of(path, "%s/bus/pci/devices/%s/physfn", root,
			    vf->pci))
			continue;
		link_name(path, back, sizeof(back));
		if (strcmp(back, pf->pci))
			continue;
		vf->node = read_node(root, vf->pci);
		if (!path_of(path, "%s/bus/pci/devices/%s/driver", root,
			     vf->pci))
			link_name(path, vf->driver, sizeof(vf->driver));
		if (!path_of(path, "%s/bus/pci/devices/%s/net", root,
			     vf->pci))
			function_netdev(path, vf->ifname, sizeof(vf->ifname));
		list->n_vfs++;
	}
	closedir(dir);
	return err;
}

static int scan_pfs(const char *root, struct zec_vf_list *list)
{
	char path[PATH_MAX];
	struct zec_pf *grown;
	struct dirent *de;
	DIR *dir;
	int err;

	err = path_of(path, "%s/bus/pci/devices", root);
	if (err)
		return err;
	dir = opendir(path);
	if (!dir)	/* no PCI bus: no PFs */
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= PCI_ADDR_SIZE ||
		    !is_sriov_nic(root, de->d_name))
			continue;
		grown = reallocarray(list->pfs, list->n_pfs + 1,
				     sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		list->pfs = grown;
		memset(&grown[list->n_pfs], 0, sizeof(*grown));
		snprintf(grown[list->n_pfs].pci, PCI_ADDR_SIZE, "%s",
			 de->d_name);
		read_pf(root, &grown[list->n_pfs++]);
	}
	closedir(dir);
	if (!err)
		sort(list->pfs, list->n_pfs, sizeof(*list->pfs), cmp_pf);
	return err;
}

ZEC_EXPORT int zec_vf_list_get(const char *root, const char *dir,
			       struct zec_vf_list **listp)
{
	struct zec_vf_list *list = calloc(1, sizeof(*list));
	size_t i;
	int err;

	*listp = NULL;
	if (!list)
		return -ENOMEM;
	root = sysfs_root(root);
	list->run_dir = strdup(run_dir(dir));
	err = list->run_dir ? numa_get(root, &list->numa) : -ENOMEM;
	if (!err)
		err = scan_pfs(root, list);
	for (i = 0; !err && i < list->n_pfs; i++)
		err = read_vfs(root, list, i);
	if (err) {
		zec_vf_list_free(list);
		return err;
	}
	for (i = 0; i < list->n_vfs; i++) {
		struct zec_vf *vf = &list->vfs[i];

		vf->pf = &list->pfs[(size_t)vf->pf];
		if (vf->node == NO_NODE)
			vf->node = vf->pf->node;
		if (vf->node == NO_NODE && list->numa.n_nodes == 1)
			vf->node = list->numa.nodes[0].id;
		vf->owner = lock_owner(list->run_dir, vf->pci);
	}
	for (i = 0; i < list->n_pfs; i++)
		if (list->pfs[i].node == NO_NODE && list->numa.n_nodes == 1)
			list->pfs[i].node = list->numa.nodes[0].id;
	sort(list->vfs, list->n_vfs, sizeof(*list->vfs), cmp_vf);
	for (i = list->n_vfs; i-- > 0;) {
		list->vfs[i].pf->vfs = &list->vfs[i];
		list->vfs[i].pf->n_vfs++;
	}
	*listp = list;
	return 0;
}

ZEC_EXPORT void zec_vf_list_free(struct zec_vf_list *list)
{
	if (!list)
		return;
	numa_free(&list->numa);
	free(list->pfs);
	free(list->vfs);
	free(list->run_dir);
	free(list);
}

ZEC_EXPORT size_t zec_vf_list_count(const struct zec_vf_list *list)
{
	return list->n_vfs;
}

ZEC_EXPORT const struct zec_vf *zec_vf_list_at(const struct zec_vf_list *list,
					       size_t i)
{
	return i < list->n_vfs ? &list->vfs[i] : NULL;
}

ZEC_EXPORT const struct zec_vf *
zec_vf_list_find(const struct zec_vf_list *list, const char *pci)
{
	size_t i;

	for (i = 0; pci && i < list->n_vfs; i++)
		if (!strcmp(list->vfs[i].pci, pci))
			return &list->vfs[i];
	return NULL;
}

ZEC_EXPORT size_t zec_vf_list_pf_count(const struct zec_vf_list *list)
{
	return list->n_pfs;
}

ZEC_EXPORT const struct zec_pf *
zec_vf_list_pf_at(const struct zec_vf_list *list, size_t i)
{
	return i < list->n_pfs ? &list->pfs[i] : NULL;
}

ZEC_EXPORT const char *zec_pf_pci_addr(const struct zec_pf *pf)
{
	return pf->pci;
}

ZEC_EXPORT const char *zec_pf_ifname(const struct zec_pf *pf)
{
	return pf->ifname[0] ? pf->ifname : NULL;
}

ZEC_EXPORT int zec_pf_node(const struct zec_pf *pf)
{
	return pf->node;
}

ZEC_EXPORT unsigned int zec_pf_total_vfs(const struct zec_pf *pf)
{
	return pf->total_vfs;
}

ZEC_EXPORT size_t zec_pf_vf_count(const struct zec_pf *pf)
{
	return pf->n_vfs;
}

ZEC_EXPORT const struct zec_vf *zec_pf_vf_at(const struct zec_pf *pf,
					     size_t i)
{
	return i < pf->n_vfs ? &pf->vfs[i] : NULL;
}

ZEC_EXPORT const char *zec_vf_pci_addr(const struct zec_vf *vf)
{
	return vf->pci;
}

ZEC_EXPORT unsigned int zec_vf_index(const struct zec_vf *vf)
{
	return vf->index;
}

ZEC_EXPORT int zec_vf_node(const struct zec_vf *vf)
{
	return vf->node;
}

ZEC_EXPORT const char *zec_vf_driver(const struct zec_vf *vf)
{
	return vf->driver[0] ? vf->driver : NULL;
}

ZEC_EXPORT const char *zec_vf_ifname(const struct zec_vf *vf)
{
	return vf->ifname[0] ? vf->ifname : NULL;
}

ZEC_EXPORT const struct zec_pf *zec_vf_pf(const struct zec_vf *vf)
{
	return vf->pf;
}

ZEC_EXPORT const char *zec_vf_pf_ifname(const struct zec_vf *vf)
{
	return zec_pf_ifname(vf->pf);
}

ZEC_EXPORT bool zec_vf_in_use(const struct zec_vf *vf)
{
	return vf->owner != 0;
}

ZEC_EXPORT pid_t zec_vf_owner(const struct zec_vf *vf)
{
	return vf->owner > 0 ? vf->owner : 0;
}

ZEC_EXPORT const uint8_t *zec_vf_mac(const struct zec_vf *vf)
{
	return vf->has_link_info && vf->info.has_mac ? vf->info.mac : NULL;
}

ZEC_EXPORT int zec_vf_vlan(const struct zec_vf *vf)
{
	return vf->has_link_info && vf->info.has_vlan ? vf->info.vlan : -1;
}

/* MAC and VLAN from rtnetlink. */

/* Where query_pf()'s reply goes. */
struct pf_query {
	struct zec_vfinfo *infos;
	size_t n;
	bool replied;
};

static int pf_reply(const struct nlmsghdr *nlh, void *data)
{
	struct pf_query *q = data;

	q->replied = true;
	return zec_parse_vfinfo(nlh, nlh->nlmsg_len, q->infos, q->n);
}

/* RTM_GETLINK of pf with its VFs' information, into infos[0..n). */
static int query_pf(struct zec_handle *h, const struct zec_pf *pf,
		    struct zec_vfinfo *infos, size_t n)
{
	struct pf_query q = { .infos = infos, .n = n };
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = zec_link_request(req, RTM_GETLINK, 0, pf->ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
			 RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
	err = zec_transact(h, h->rtnl, nlh, pf_reply, &q);
	if (!err && !q.replied)
		err = zec_error(h, -EPROTO, "the kernel acked without a link");
	return err;
}

ZEC_EXPORT int zec_vf_list_link_info(struct zec_vf_list *list,
				     struct zec_handle *h)
{
	struct zec_vfinfo *infos;
	size_t i, j, n;
	int err = 0;

	zec_call_start(h);
	for (i = 0; !err && i < list->n_pfs; i++) {
		struct zec_pf *pf = &list->pfs[i];

		if (!pf->ifname[0] || !pf->n_vfs)
			continue;
		/* VFs ascend by index: the last one's bounds them */
		n = (size_t)pf->vfs[pf->n_vfs - 1].index + 1;
		infos = calloc(n, sizeof(*infos));
		if (!infos)
			return -ENOMEM;
		err = query_pf(h, pf, infos, n);
		/* a PF netdev of another namespace, or gone: nothing known */
		if (err == -ENODEV)
			err = 0;
		else if (!err)
			for (j = 0; j < pf->n_vfs; j++) {
				pf->vfs[j].info = infos[pf->vfs[j].index];
				pf->vfs[j].has_link_info = true;
			}
		free(infos);
	}
	return err;
}

/* Picking. */

/* How good a PF is to pick from; lower is better. */
enum pf_health {
	PF_ZEC_UP,		/* a zec port, up and enabled */
	PF_UNKNOWN,		/* no zec port; not down by operstate */
	PF_DOWN,		/* down by zec or by operstate */
};

struct candidate {
	struct zec_vf *vf;
	enum pf_health health;
	unsigned int distance;
};

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	bool xv = !strcmp(x->vf->driver, "vfio-pci");
	bool yv = !strcmp(y->vf->driver, "vfio-pci");

	/* a VF of a dead link only when there is nothing else */
	if ((x->health == PF_DOWN) != (y->health == PF_DOWN))
		return x->health == PF_DOWN ? 1 : -1;
	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	if (x->health != y->health)
		return x->health < y->health ? -1 : 1;
	/* bound to vfio-pci: ready to pass through */
	if (xv != yv)
		return xv ? -1 : 1;
	return x->vf < y->vf ? -1 : x->vf > y->vf;
}

static enum pf_health pf_health(const struct zec_pf *pf,
				const struct zec_device *dev)
{
	size_t i;

	for (i = 0; dev && pf->ifname[0] && i < dev->n_ports; i++) {
		const struct zec_port *port = dev->ports[i];

		if (strcmp(port->ifname, pf->ifname))
			continue;
		return port->enabled && port->state == ZEC_PORT_STATE_UP ?
			PF_ZEC_UP : PF_DOWN;
	}
	return pf->down ? PF_DOWN : PF_UNKNOWN;
}

/*
 * The zec device dev into *zdev if h and dev are given; 0 with *zdev
 * NULL when the module is not loaded (sysfs only), else the error.
 * Starts the call on h: its last error is this call's.
 */
static int get_device(struct zec_handle *h, const char *dev,
		      struct zec_device *zdev, struct zec_device **zdevp)
{
	int err;

	*zdevp = NULL;
	if (h)
		zec_call_start(h);
	if (!h || !dev)
		return 0;
	zdev->sz = sizeof(*zdev);
	err = zec_device_get(h, dev, zdev);
	if (err == -ENOENT) {
		zec_call_start(h);	/* no zec device: sysfs only */
		return 0;
	}
	if (!err)
		*zdevp = zdev;
	return err;
}

/*
 * Reserve for owner the best free VF for node (NO_NODE: any) by
 * cmp_candidate(); with live_only never one of a PF that is down.
 * -EBUSY if there is none.
 */
static int pick_vf(struct zec_vf_list *list, int node,
		   const struct zec_device *zdev, pid_t owner, bool live_only,
		   struct zec_vf **vfp)
{
	struct candidate *cands;
	size_t i, n = 0;
	int fd, err;

	*vfp = NULL;
	cands = calloc(list->n_vfs ? list->n_vfs : 1, sizeof(*cands));
	if (!cands)
		return -ENOMEM;
	for (i = 0; i < list->n_vfs; i++) {
		cands[n].vf = &list->vfs[i];
		cands[n].health = pf_health(cands[n].vf->pf, zdev);
		cands[n].distance = node_distance(&list->numa, node,
						  cands[n].vf->node);
		if (!live_only || cands[n].health != PF_DOWN)
			n++;
	}
	sort(cands, n, sizeof(*cands), cmp_candidate);
	fd = lock_dir(list->run_dir);
	if (fd < 0) {
		free(cands);
		return fd;
	}
	err = -EBUSY;
	for (i = 0; err == -EBUSY && i < n; i++) {
		err = lock_take(list->run_dir, cands[i].vf->pci, owner);
		if (err == -EBUSY)	/* refresh what the list says */
			cands[i].vf->owner = lock_owner(list->run_dir,
							cands[i].vf->pci);
	}
	close(fd);
	if (!err) {
		cands[i - 1].vf->owner = owner;
		*vfp = cands[i - 1].vf;
	}
	free(cands);
	return err;
}

int zec_vf_pick_for(struct zec_vf_list *list, int node,
		    const struct zec_device *zdev, pid_t owner,
		    const struct zec_vf **vfp)
{
	struct zec_vf *vf;
	int err;

	*vfp = NULL;
	if (node < 0 || owner < 0)
		return -EINVAL;
	if (!numa_node_of(&list->numa, node))
		return -ENOENT;
	if (!list->n_vfs)
		return -ENODEV;
	err = pick_vf(list, node, zdev, owner ? owner : getpid(), false, &vf);
	*vfp = vf;
	return err;
}

/* zec_vf_pick_for()'s own errors as zec_vf_pick(3) documents them, on h. */
static int pick_error(struct zec_handle *h, int err, int node)
{
	switch (err) {
	case -EINVAL:
		return zec_error(h, err, "node %d or the owner is negative",
				 node);
	case -ENOENT:
		return zec_error(h, err, "node %d is not in the NUMA topology",
				 node);
	case -ENODEV:
		return zec_error(h, err, "no SR-IOV VF found");
	case -EBUSY:
		return zec_error(h, err, "every VF is in use");
	}
	return err;
}

ZEC_EXPORT int zec_vf_pick(struct zec_vf_list *list, int node,
			   struct zec_handle *h, const char *dev, pid_t owner,
			   const struct zec_vf **vfp)
{
	struct zec_device zdev, *zdevp;
	int err;

	*vfp = NULL;
	err = get_device(h, dev, &zdev, &zdevp);
	if (err)
		return err;
	err = zec_vf_pick_for(list, node, zdevp, owner, vfp);
	if (zdevp)
		zec_device_free(zdevp);
	return pick_error(h, err, node);
}

ZEC_EXPORT int zec_vf_pick_cpus(struct zec_vf_list *list, const char *cpus,
				struct zec_handle *h, const char *dev,
				pid_t owner, const struct zec_vf **vfp)
{
	unsigned int *set;
	size_t n;
	int node, err;

	*vfp = NULL;
	if (h)
		zec_call_start(h);
	err = cpulist_node(h, &list->numa, cpus, &set, &n, &node);
	free(set);
	return err ? err : zec_vf_pick(list, node, h, dev, owner, vfp);
}

ZEC_EXPORT int zec_vf_release(struct zec_vf_list *list,
			      const struct zec_vf *cvf, pid_t owner)
{
	char path[PATH_MAX];
	struct zec_vf *vf;
	size_t i;
	long pid;
	int fd, err = 0;

	/* cvf must be one of list's, which the list may change */
	for (i = 0; i < list->n_vfs && &list->vfs[i] != cvf; i++)
		;
	if (i == list->n_vfs || owner < 0)
		return -EINVAL;
	vf = &list->vfs[i];
	err = path_of(path, "%s/%s", list->run_dir, vf->pci);
	if (err)
		return err;
	fd = lock_dir(list->run_dir);
	if (fd < 0)
		return fd;
	if (access(path, F_OK))
		err = -ENOENT;
	else if (owner && (read_long(path, &pid) || pid != owner))
		err = -EPERM;
	else if (unlink(path))
		err = -errno;
	close(fd);
	if (!err || err == -ENOENT)
		vf->owner = 0;
	return err;
}

/* Re-attach plans. */

struct zec_reattach {
	struct zec_vf *from;		/* held, on a PF that is down */
	struct zec_vf *to;		/* reserved for from's owner; or NULL */
};

struct zec_reattach_plan {
	size_t n;
	struct zec_reattach *moves;
};

/* Drop the reservations plan took: a plan fails as a whole. */
static void plan_undo(struct zec_vf_list *list, struct zec_reattach_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->moves[i].to)
			zec_vf_release(list, plan->moves[i].to,
				       plan->moves[i].to->owner);
}

ZEC_EXPORT int zec_reattach_plan_get(struct zec_vf_list *list,
				     const struct zec_device *dev,
				     pid_t owner,
				     struct zec_reattach_plan **planp)
{
	struct zec_reattach_plan *plan;
	struct zec_reattach *move;
	size_t i;
	int err = 0;

	*planp = NULL;
	if (owner < 0)
		return -EINVAL;
	plan = calloc(1, sizeof(*plan));
	if (plan)
		plan->moves = calloc(list->n_vfs ? list->n_vfs : 1,
				     sizeof(*plan->moves));
	if (!plan || !plan->moves) {
		zec_reattach_plan_free(plan);
		return -ENOMEM;
	}
	for (i = 0; i < list->n_vfs; i++) {
		struct zec_vf *vf = &list->vfs[i];

		if (vf->owner && (!owner || vf->owner == owner) &&
		    pf_health(vf->pf, dev) == PF_DOWN)
			plan->moves[plan->n++].from = vf;
	}
	for (i = 0; !err && i < plan->n; i++) {
		move = &plan->moves[i];
		/* an unreadable lock's VF moves to the caller */
		err = pick_vf(list, move->from->node, dev,
			      move->from->owner > 0 ? move->from->owner :
			      getpid(), true, &move->to);
		if (err == -EBUSY)	/* nothing left: no replacement */
			err = 0;
	}
	if (err) {
		plan_undo(list, plan);
		zec_reattach_plan_free(plan);
		return err;
	}
	*planp = plan;
	return 0;
}

ZEC_EXPORT void zec_reattach_plan_free(struct zec_reattach_plan *plan)
{
	if (!plan)
		return;
	free(plan->moves);
	free(plan);
}

ZEC_EXPORT size_t zec_reattach_plan_count(const struct zec_reattach_plan *plan)
{
	return plan->n;
}

ZEC_EXPORT const struct zec_reattach *
zec_reattach_plan_at(const struct zec_reattach_plan *plan, size_t i)
{
	return i < plan->n ? &plan->moves[i] : NULL;
}

ZEC_EXPORT const struct zec_vf *zec_reattach_old(const struct zec_reattach *r)
{
	return r->from;
}

ZEC_EXPORT const struct zec_vf *zec_reattach_new(const struct zec_reattach *r)
{
	return r->to;
}

/* vhost placement. */

/* The ports of zdev serving node now. */
static int serving_ports(struct zec_vhost *vhost, const struct zec_device *zdev)
{
	const struct zec_node *served = zec_device_node(zdev,
							(uint32_t)vhost->node);
	size_t i, j;

	if (!served || !served->n_ports)
		return 0;
	vhost->ports = calloc(served->n_ports, sizeof(*vhost->ports));
	if (!vhost->ports)
		return -ENOMEM;
	for (i = 0; i < served->n_ports; i++)
		for (j = 0; j < zdev->n_ports; j++)
			if (zdev->ports[j]->ifindex == served->port_ifindex[i])
				memcpy(vhost->ports[vhost->n_ports++],
				       zdev->ports[j]->ifname, ZEC_IFNAMSIZ);
	return 0;
}

int zec_vhost_cpus_for(struct zec_handle *h, const char *root,
		       const char *vm_cpus, const struct zec_device *zdev,
		       struct zec_vhost **vhostp)
{
	const struct numa_node *node;
	struct zec_vhost *vhost;
	unsigned int *set = NULL;
	struct numa numa;
	size_t i, n = 0;
	int err;

	*vhostp = NULL;
	vhost = calloc(1, sizeof(*vhost));
	if (!vhost)
		return -ENOMEM;
	err = numa_get(sysfs_root(root), &numa);
	if (err) {
		free(vhost);
		return err;
	}
	err = cpulist_node(h, &numa, vm_cpus, &set, &n, &vhost->node);
	node = err ? NULL : numa_node_of(&numa, vhost->node);
	if (node) {
		vhost->cpus = calloc(node->n_cpus ? node->n_cpus : 1,
				     sizeof(*vhost->cpus));
		if (!vhost->cpus)
			err = -ENOMEM;
	}
	/* the node's CPUs the VM leaves free, or all if it leaves none */
	for (i = 0; vhost->cpus && i < node->n_cpus; i++)
		if (!has_cpu(set, n, node->cpus[i]))
			vhost->cpus[vhost->n_cpus++] = node->cpus[i];
	if (vhost->cpus && !vhost->n_cpus) {
		memcpy(vhost->cpus, node->cpus,
		       node->n_cpus * sizeof(*vhost->cpus));
		vhost->n_cpus = node->n_cpus;
	}
	if (!err && zdev)
		err = serving_ports(vhost, zdev);
	free(set);
	numa_free(&numa);
	if (err) {
		zec_vhost_free(vhost);
		return err;
	}
	*vhostp = vhost;
	return 0;
}

ZEC_EXPORT int zec_vhost_cpus(const char *root, const char *vm_cpus,
			      struct zec_handle *h, const char *dev,
			      struct zec_vhost **vhostp)
{
	struct zec_device zdev, *zdevp;
	int err;

	*vhostp = NULL;
	err = get_device(h, dev, &zdev, &zdevp);
	if (err)
		return err;
	err = zec_vhost_cpus_for(h, root, vm_cpus, zdevp, vhostp);
	if (zdevp)
		zec_device_free(zdevp);
	return err;
}

ZEC_EXPORT void zec_vhost_free(struct zec_vhost *vhost)
{
	if (!vhost)
		return;
	free(vhost->cpus);
	free(vhost->ports);
	free(vhost);
}

ZEC_EXPORT int zec_vhost_node(const struct zec_vhost *vhost)
{
	return vhost->node;
}

ZEC_EXPORT size_t zec_vhost_cpu_count(const struct zec_vhost *vhost)
{
	return vhost->n_cpus;
}

ZEC_EXPORT unsigned int zec_vhost_cpu_at(const struct zec_vhost *vhost,
					 size_t i)
{
	return i < vhost->n_cpus ? vhost->cpus[i] : UINT_MAX;
}

ZEC_EXPORT size_t zec_vhost_port_count(const struct zec_vhost *vhost)
{
	return vhost->n_ports;
}

ZEC_EXPORT const char *zec_vhost_port_at(const struct zec_vhost *vhost,
					 size_t i)
{
	return i < vhost->n_ports ? vhost->ports[i] : NULL;
}
