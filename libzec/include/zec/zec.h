/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzec: configure and watch zec devices (NUMA-aware pseudo-bonds).
 *
 * Every function returning int returns 0 (or a count) on success and a
 * negative errno on failure; zec_last_error() then explains the failure
 * of that call. The library never prints and never exits.
 *
 * Thread safety: a struct zec_handle must be used by one thread at a time;
 * open one handle per thread. Distinct handles share no state.
 */
#ifndef LIBZEC_ZEC_H
#define LIBZEC_ZEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>		/* pid_t */
#include <zec/zec-uapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; the library's soname is libzec.so.MAJOR. */
#define LIBZEC_VERSION_MAJOR 1
#define LIBZEC_VERSION_MINOR 1
#define LIBZEC_VERSION_PATCH 0

struct zec_handle;

/* Interface names, as IFNAMSIZ; without <net/if.h> or <linux/if.h>. */
#define ZEC_IFNAMSIZ 16

/*
 * ABI rules (see libzec(3), "ABI POLICY"):
 *
 * - A struct the caller allocates and the library fills (zec_device,
 *   zec_event, zec_topology) or reads whole (zec_rate, zec_probe_config)
 *   starts with "size_t sz", which the caller sets to sizeof the struct as
 *   its header declared it. The library writes no byte past sz (it zeroes
 *   what it does not know), ignores fields past its own size if they are
 *   zero, and fails with -EINVAL below the 1.0 size. Such structs grow only
 *   at their end.
 * - A struct only the library allocates (zec_stats, zec_port, zec_node,
 *   zec_dev_config as output, zec_topo_node) is reached through a pointer,
 *   never embedded by value or indexed as an array by the caller, so it may
 *   grow at its end too. It has no sz: a program that reads a field a
 *   release added to it needs that release (pkg-config "libzec >= 1.1").
 * - zec_dev_config and zec_port_config are read only where a ZEC_*_SET_*
 *   bit says so; a new field comes with a new bit, and a bit the library
 *   does not know fails with -EINVAL.
 */

/* Counters of one ZEC_A_STATS_* nest; see <zec/zec-uapi.h> for each level. */
struct zec_stats {
	uint64_t tx_local_packets;
	uint64_t tx_local_bytes;
	uint64_t tx_cross_packets;
	uint64_t tx_cross_bytes;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t submitted_packets;
	uint64_t drop_no_port;
	uint64_t drop_tx_error;
	uint64_t failovers;
	uint64_t drop_rate;
	uint64_t rate_delayed;
	uint64_t probes_sent;		/* port level only */
	uint64_t probe_replies;		/* port level only */
	uint64_t probe_downs;		/* port level only */
	uint64_t damp_holds;		/* port level only */
	/* independent mode's receive side (libzec 1.1) */
	uint64_t rx_reflections;
	uint64_t rx_flood_duplicates;
	uint64_t announcements;
};

/*
 * An egress rate cap (ZEC_A_RATE_*). For zec_rate_set() set sz and give at
 * least one of percent, bps and pps; zero fields are left out.
 */
struct zec_rate {
	size_t sz;			/* sizeof(struct zec_rate) */
	uint32_t percent;		/* of link speed, 1..100; 0: none */
	uint64_t bps;			/* bit/s; with percent: fallback */
	uint64_t pps;			/* packets/s */
	uint32_t burst;			/* bytes; 0: the kernel's default */
	uint32_t mode;			/* enum zec_rate_mode */
	/* Read only, in a port's cap: */
	bool inherited;			/* the device default */
	uint64_t active_bps;		/* enforced now; 0: no bit/s cap */
	uint64_t active_pps;
	uint32_t active_burst;
};

struct zec_port {
	uint32_t ifindex;
	char ifname[ZEC_IFNAMSIZ];
	uint32_t node;			/* effective; else ZEC_NODE_NONE */
	uint32_t detected_node;		/* ZEC_NODE_NONE if unknown */
	uint32_t node_override;		/* ZEC_NODE_NONE if not overridden */
	bool enabled;
	uint32_t state;			/* enum zec_port_state */
	uint32_t down_reasons;		/* ZEC_PORT_DOWN_* bits */
	uint32_t speed_mbps;		/* ZEC_SPEED_UNKNOWN if unknown */
	const struct zec_stats *stats;	/* zec_stats_get() only, else NULL */
	const struct zec_rate *rate;	/* the cap in force, or NULL */
	bool probing;			/* the device probes: next two set */
	uint32_t probe_misses;		/* intervals in a row without reply */
	uint32_t probe_reply_age_ms;	/* ZEC_PROBE_NO_REPLY if none yet */
};

struct zec_node {
	uint32_t id;
	uint32_t select;		/* enum zec_select */
	uint32_t distance;
	size_t n_ports;
	uint32_t *port_ifindex;		/* the ports serving the node now */
	const struct zec_stats *stats;	/* zec_stats_get() only, else NULL */
};

/* What zec_dev_set() changes: an OR of ZEC_DEV_SET_*. */
enum {
	ZEC_DEV_SET_MODE	= 1 << 0,
	ZEC_DEV_SET_UP_DELAY	= 1 << 1,
	ZEC_DEV_SET_GARP	= 1 << 2,
	/* libzec 1.1: independent mode's receive side */
	ZEC_DEV_SET_RX_PORT		= 1 << 3,
	ZEC_DEV_SET_MAC_TABLE_SIZE	= 1 << 4,
	ZEC_DEV_SET_MAC_AGEING		= 1 << 5,
	ZEC_DEV_SET_ANNOUNCE_COUNT	= 1 << 6,
	ZEC_DEV_SET_ANNOUNCE_INTERVAL	= 1 << 7,
	ZEC_DEV_SET_ANNOUNCE_RATE	= 1 << 8,
};

struct zec_dev_config {
	unsigned int set;		/* ZEC_DEV_SET_* for zec_dev_set() */
	uint32_t mode;			/* enum zec_mode */
	uint32_t up_delay_ms;
	uint32_t garp_count;
	/* libzec 1.1; 0 from a kernel without them */
	uint32_t rx_port_ifindex;	/* as set; 0: automatic */
	uint32_t mac_table_size;
	uint32_t mac_ageing_ms;
	uint32_t announce_count;
	uint32_t announce_interval_ms;
	uint32_t announce_rate;		/* frames/s */
};

/* A probe target; this struct is final and never grows. */
struct zec_probe_target {
	int family;			/* AF_INET or AF_INET6 */
	union {
		uint8_t v4[4];		/* network byte order */
		uint8_t v6[16];
	} addr;
};

/*
 * Health probes, ZEC_CMD_PROBE_SET; 0 counts take the kernel's defaults.
 * The kernel bounds n_targets (ZEC_PROBE_TARGETS_MAX today); more fail
 * with -E2BIG.
 */
struct zec_probe_config {
	size_t sz;			/* sizeof(struct zec_probe_config) */
	size_t n_targets;
	const struct zec_probe_target *targets;
	uint32_t interval_ms;
	uint32_t miss_count;
	uint32_t recover_count;
	uint32_t damp_count;		/* 0: no flap damping */
	uint32_t damp_window_ms;
	uint32_t damp_hold_ms;
};

struct zec_device {
	size_t sz;			/* sizeof(struct zec_device) */
	uint32_t ifindex;
	char ifname[ZEC_IFNAMSIZ];
	uint32_t generation;
	const struct zec_dev_config *config;	/* never NULL */
	uint64_t failover_count;
	uint64_t last_failover_ns;	/* CLOCK_MONOTONIC, 0 if never */
	const struct zec_stats *stats;	/* zec_stats_get() only, else NULL */
	size_t n_ports;
	struct zec_port **ports;
	size_t n_nodes;
	struct zec_node **nodes;
	const struct zec_rate *rate;	/* the default cap, or NULL */
	/* zec_device_get() only: the probe configuration, NULL if none */
	const struct zec_probe_config *probe;
	/*
	 * libzec 1.1: wherever the kernel sends the device's configuration,
	 * so from zec_device_get(), the dumps of zec_device_list() and the
	 * devs of a ZEC_EVENT_RESYNC alike
	 */
	uint32_t rx_port_active;	/* ifindex; 0: lag mode or no port */
	uint32_t mac_count;		/* source MACs remembered now */
	/*
	 * libzec 1.1, while probing: intervals in which no probe went out
	 * because the device had no source address for any target yet
	 */
	uint64_t probe_rounds_no_source;
};

/* What zec_port_add() and zec_port_set() change: an OR of ZEC_PORT_SET_*. */
enum {
	ZEC_PORT_SET_NODE	= 1 << 0,
	ZEC_PORT_SET_ENABLED	= 1 << 1,
};

struct zec_port_config {
	unsigned int set;		/* ZEC_PORT_SET_* */
	uint32_t node;			/* ZEC_NODE_NONE: back to detection */
	bool enabled;
};

enum zec_event_type {
	ZEC_EVENT_PORT_ADDED = 1,
	ZEC_EVENT_PORT_REMOVED,
	ZEC_EVENT_PORT_STATE,
	ZEC_EVENT_FAILOVER,
	ZEC_EVENT_CONFIG,
	/*
	 * Events were lost (socket overrun or a generation gap). The library
	 * dumped the devices again, on the event socket without blocking,
	 * and tracks generations from that dump, which the event hands over:
	 * devs[0..n_devs-1], the state of every zec device as of this event.
	 */
	ZEC_EVENT_RESYNC,
	/*
	 * libzec 1.1: the port receiving broadcast and multicast in
	 * independent mode moved (from_ifindex, to_ifindex = rx_port_active,
	 * reason, timestamp_ns). Types are only ever added: ignore the ones
	 * you do not know.
	 */
	ZEC_EVENT_RX_PORT,
};

/*
 * Pointers in an event point into the handle and stay valid until the next
 * zec_event_read() or zec_close() on it.
 */
struct zec_event {
	size_t sz;			/* sizeof(struct zec_event) */
	enum zec_event_type type;
	/*
	 * The zec device; for ZEC_EVENT_RESYNC the one whose generation
	 * skipped, 0 after a socket overrun or for several devices.
	 */
	uint32_t ifindex;
	char ifname[ZEC_IFNAMSIZ];
	uint32_t generation;
	/* PORT_ADDED, PORT_REMOVED, PORT_STATE; else NULL */
	const struct zec_port *port;
	const struct zec_dev_config *config;	/* CONFIG; else NULL */
	uint32_t reason;		/* enum zec_reason */
	uint32_t node;			/* FAILOVER */
	uint32_t from_ifindex;		/* FAILOVER; 0 if none */
	uint32_t to_ifindex;		/* FAILOVER; 0 if none */
	uint32_t select;		/* FAILOVER, enum zec_select */
	uint64_t timestamp_ns;		/* CLOCK_MONOTONIC */
	const struct zec_probe_config *probe;	/* CONFIG, if probing */
	/* RESYNC: the fresh state, or none and the dump's negative errno */
	size_t n_devs;
	struct zec_device *const *devs;
	int resync_err;
	/*
	 * libzec 1.1: the struct's size may or may not change with it (it
	 * fits in 1.0's tail padding on some ABIs, not on others, i386)
	 */
	uint32_t rx_port_active;	/* RX_PORT, CONFIG: ifindex; 0: none */
};

/* NUMA topology of the machine, from libnuma. */
struct zec_topo_node {
	uint32_t id;
	size_t n_cpus;
	unsigned int *cpus;		/* ascending */
	uint32_t *distance;		/* [i]: to zec_topology.nodes[i] */
};

struct zec_topology {
	size_t sz;			/* sizeof(struct zec_topology) */
	size_t n_nodes;
	struct zec_topo_node **nodes;	/* ascending id; 1 without NUMA */
};

int zec_open(struct zec_handle **h);
void zec_close(struct zec_handle *h);
/*
 * Why the last call on h failed (the kernel's extack message or the
 * library's own), or NULL if it has no explanation. After a success, the
 * kernel's warning if it gave one (zec_probe_set() while the device has
 * no address to probe from yet), else NULL.
 */
const char *zec_last_error(const struct zec_handle *h);

/*
 * name: a zec device name; set dev->sz first. Free results with
 * zec_device_free().
 */
int zec_device_get(struct zec_handle *h, const char *name,
		   struct zec_device *dev);
int zec_stats_get(struct zec_handle *h, const char *name,
		  struct zec_device *dev);
/* All devices, (*devs)[i]; free with zec_device_list_free(). */
int zec_device_list(struct zec_handle *h, struct zec_device ***devs,
		    size_t *n);
int zec_stats_list(struct zec_handle *h, struct zec_device ***devs,
		   size_t *n);
/* Frees what the library allocated for dev; keeps dev->sz. */
void zec_device_free(struct zec_device *dev);
void zec_device_list_free(struct zec_device **devs, size_t n);
/* The entry of dev->nodes for node id, or NULL. */
const struct zec_node *zec_device_node(const struct zec_device *dev,
				       uint32_t id);

int zec_dev_set(struct zec_handle *h, const char *name,
		const struct zec_dev_config *config);
int zec_port_add(struct zec_handle *h, const char *name, const char *port,
		 const struct zec_port_config *config);
int zec_port_del(struct zec_handle *h, const char *name, const char *port);
int zec_port_set(struct zec_handle *h, const char *name, const char *port,
		 const struct zec_port_config *config);

/*
 * Egress rate caps: of port, or with port NULL the default cap of every
 * port of the device that has none of its own. zec_rate_set() replaces
 * the cap as a whole; zec_rate_del() is -ENOENT if there is none.
 */
int zec_rate_set(struct zec_handle *h, const char *name, const char *port,
		 const struct zec_rate *rate);
int zec_rate_del(struct zec_handle *h, const char *name, const char *port);
/* Replace the probe configuration of name; stop probing. */
int zec_probe_set(struct zec_handle *h, const char *name,
		  const struct zec_probe_config *config);
int zec_probe_del(struct zec_handle *h, const char *name);

/* rtnetlink, as "ip link add NAME type zec" / "ip link del NAME". */
int zec_link_add(struct zec_handle *h, const char *name);
int zec_link_del(struct zec_handle *h, const char *name);
/* As "ip link set PORT master NAME"; name NULL as "nomaster". */
int zec_link_set_master(struct zec_handle *h, const char *port,
			const char *name);

/* Set topo->sz first; -EINVAL (without a handle, no message) if wrong. */
int zec_topology_get(struct zec_topology *topo);
void zec_topology_free(struct zec_topology *topo);

/*
 * Events: poll zec_event_fd() for POLLIN, then call zec_event_read() until
 * it returns 0. Neither blocks: the dumps they need go out on the event
 * socket and their replies are read with the events. It returns how many
 * of the n slots it filled. Set evs[0].sz to sizeof(struct zec_event): it
 * is the stride of the array, and the library sets sz in every slot it
 * fills.
 */
int zec_event_fd(struct zec_handle *h);
int zec_event_read(struct zec_handle *h, struct zec_event *evs, size_t n);

/*
 * The source MACs zec device name sends from, learned in independent
 * mode (libzec 1.1). The objects are opaque: read them with the getters,
 * free the list with zec_mac_list_free(). See libzec(3).
 */
struct zec_mac_list;
struct zec_mac;

int zec_mac_list_get(struct zec_handle *h, const char *name,
		     struct zec_mac_list **list);
void zec_mac_list_free(struct zec_mac_list *list);
size_t zec_mac_list_count(const struct zec_mac_list *list);
const struct zec_mac *zec_mac_list_at(const struct zec_mac_list *list,
				      size_t i);
const uint8_t *zec_mac_addr(const struct zec_mac *mac);	/* 6 bytes */
uint32_t zec_mac_node(const struct zec_mac *mac);	/* of the sender */
uint32_t zec_mac_port_ifindex(const struct zec_mac *mac);	/* 0: none */
uint32_t zec_mac_age_ms(const struct zec_mac *mac);

/*
 * VF placement and vhost placement (vf.c), from sysfs alone: they work
 * without the zec module. sysfs_root NULL means $ZEC_SYSFS_ROOT, else
 * "/sys"; run_dir NULL means $ZEC_RUN_DIR, else "/run/zec/vf". The
 * objects are opaque: read them with the getters, free them with their
 * free function. Nodes are -1 when unknown. See zec_vf_list_get(3).
 */
struct zec_vf_list;
struct zec_pf;
struct zec_vf;
struct zec_vhost;

/* The SR-IOV network PFs under sysfs_root and their VFs. */
int zec_vf_list_get(const char *sysfs_root, const char *run_dir,
		    struct zec_vf_list **list);
void zec_vf_list_free(struct zec_vf_list *list);
/* Every VF, PF by PF (ascending PCI address), each PF's by VF index. */
size_t zec_vf_list_count(const struct zec_vf_list *list);
const struct zec_vf *zec_vf_list_at(const struct zec_vf_list *list,
				    size_t i);
/* The VF of PCI address pci_addr ("0000:03:02.0"), or NULL. */
const struct zec_vf *zec_vf_list_find(const struct zec_vf_list *list,
				      const char *pci_addr);
size_t zec_vf_list_pf_count(const struct zec_vf_list *list);
const struct zec_pf *zec_vf_list_pf_at(const struct zec_vf_list *list,
				       size_t i);

const char *zec_pf_pci_addr(const struct zec_pf *pf);
const char *zec_pf_ifname(const struct zec_pf *pf);	/* NULL: no netdev */
int zec_pf_node(const struct zec_pf *pf);
unsigned int zec_pf_total_vfs(const struct zec_pf *pf);	/* sriov_totalvfs */
/* The enabled VFs. */
size_t zec_pf_vf_count(const struct zec_pf *pf);
const struct zec_vf *zec_pf_vf_at(const struct zec_pf *pf, size_t i);

const char *zec_vf_pci_addr(const struct zec_vf *vf);
unsigned int zec_vf_index(const struct zec_vf *vf);	/* N of virtfnN */
int zec_vf_node(const struct zec_vf *vf);
const char *zec_vf_driver(const struct zec_vf *vf);	/* NULL: unbound */
const char *zec_vf_ifname(const struct zec_vf *vf);	/* NULL: no netdev */
const struct zec_pf *zec_vf_pf(const struct zec_vf *vf);
const char *zec_vf_pf_ifname(const struct zec_vf *vf);
/*
 * The MAC (6 bytes; NULL: none set or not known) and VLAN (0: none; -1:
 * not known) the PF gives the VF, once zec_vf_list_link_info() asked the
 * kernel (rtnetlink IFLA_VFINFO_LIST) through h. PF netdevs h cannot see
 * (another network namespace) are left unknown.
 */
int zec_vf_list_link_info(struct zec_vf_list *list, struct zec_handle *h);
const uint8_t *zec_vf_mac(const struct zec_vf *vf);
int zec_vf_vlan(const struct zec_vf *vf);
/* Reserved by a lock file of a live owner (or of an unreadable one). */
bool zec_vf_in_use(const struct zec_vf *vf);
pid_t zec_vf_owner(const struct zec_vf *vf);		/* 0: none known */

/*
 * Reserve a free VF for owner (0: the caller's pid) on node, else on the
 * nearest node by distance, preferring VFs whose PF is a healthy port of
 * zec device dev (h and dev may be NULL: sysfs only). zec_vf_pick_cpus()
 * takes the node of a CPU list ("0-3,8") as zec_vhost_cpus() does.
 * -EBUSY if every VF is in use, -ENODEV if there is none.
 */
int zec_vf_pick(struct zec_vf_list *list, int node, struct zec_handle *h,
		const char *dev, pid_t owner, const struct zec_vf **vf);
int zec_vf_pick_cpus(struct zec_vf_list *list, const char *cpus,
		     struct zec_handle *h, const char *dev, pid_t owner,
		     const struct zec_vf **vf);
/* Drop vf's reservation if owner holds it (owner 0: whoever does). */
int zec_vf_release(struct zec_vf_list *list, const struct zec_vf *vf,
		   pid_t owner);

/*
 * Since 1.1. A re-attach plan for the VFs a port failure cut off: each VF
 * held (in use, by owner; owner 0: by anyone) whose PF is down (a port of
 * zec device dev that is down or disabled in dev's state, e.g. from
 * zec_device_get() or a ZEC_EVENT_RESYNC's devs[]; otherwise, or with dev
 * NULL, by the PF netdev's operstate) and a replacement for it: a free VF
 * of a PF that is not down, nearest to the old VF's node first, in
 * zec_vf_pick()'s order. Each replacement is reserved for the old VF's
 * owner (the caller's pid if its lock holds none), so no plan, in this or
 * another process, gives it again; the old VF's reservation is left to
 * the caller to release once it is detached. zec_reattach_new() is NULL
 * when no free VF is left. The plan points into list: free it first.
 */
struct zec_reattach_plan;
struct zec_reattach;

int zec_reattach_plan_get(struct zec_vf_list *list,
			  const struct zec_device *dev, pid_t owner,
			  struct zec_reattach_plan **plan);
void zec_reattach_plan_free(struct zec_reattach_plan *plan);
size_t zec_reattach_plan_count(const struct zec_reattach_plan *plan);
const struct zec_reattach *
zec_reattach_plan_at(const struct zec_reattach_plan *plan, size_t i);
const struct zec_vf *zec_reattach_old(const struct zec_reattach *r);
const struct zec_vf *zec_reattach_new(const struct zec_reattach *r);

/*
 * Where the vhost workers of a VM running on vm_cpus should run: the
 * VM's node and that node's CPUs the VM does not use (all of the node's
 * if it uses them all), and the zec port(s) of dev serving the node now.
 */
int zec_vhost_cpus(const char *sysfs_root, const char *vm_cpus,
		   struct zec_handle *h, const char *dev,
		   struct zec_vhost **vhost);
void zec_vhost_free(struct zec_vhost *vhost);
int zec_vhost_node(const struct zec_vhost *vhost);
size_t zec_vhost_cpu_count(const struct zec_vhost *vhost);
unsigned int zec_vhost_cpu_at(const struct zec_vhost *vhost, size_t i);
size_t zec_vhost_port_count(const struct zec_vhost *vhost);
const char *zec_vhost_port_at(const struct zec_vhost *vhost, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* LIBZEC_ZEC_H */
