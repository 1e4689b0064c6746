/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzec internals shared by the library sources and the host tests.
 */
#ifndef LIBZEC_INTERNAL_H
#define LIBZEC_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include <zec/zec.h>

#define ZEC_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/* Sizes of the structs that carry sz, as libzec 1.0 declared them. */
#define ZEC_DEVICE_SZ_1_0	offsetofend(struct zec_device, probe)
#define ZEC_EVENT_SZ_1_0	offsetofend(struct zec_event, resync_err)
#define ZEC_TOPOLOGY_SZ_1_0	offsetofend(struct zec_topology, nodes)
#define ZEC_RATE_SZ_1_0		offsetofend(struct zec_rate, active_burst)
#define ZEC_PROBE_SZ_1_0	offsetofend(struct zec_probe_config, \
					    damp_hold_ms)

struct zec_handle;

/* The last event type this library knows. */
#define ZEC_EVENT_TYPE_LAST	ZEC_EVENT_RX_PORT

/*
 * zec_event_read() as programs linked against libzec 1.0 bind it (no type
 * after ZEC_EVENT_RESYNC), and as those of 1.1 do: events.c.
 */
int zec_event_read_1_0(struct zec_handle *h, struct zec_event *evs, size_t n);
int zec_event_read_1_1(struct zec_handle *h, struct zec_event *evs, size_t n);

/* Sets h's last error (if h) to the message; returns err. */
int zec_error(struct zec_handle *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The largest sz a caller may give (libzec(3), "ABI POLICY"): far above any
 * struct's growth, far below what an uninitialised sz tends to hold.
 */
#define ZEC_SZ_MAX		4096
/*
 * -EINVAL with a message if a caller's sz is below the 1.0 size of type,
 * or above ZEC_SZ_MAX.
 */
int zec_check_sz(struct zec_handle *h, size_t sz, size_t min,
		 const char *type);
/*
 * Copy the library's struct src (own bytes, sz first) into the caller's
 * dst of dst->sz bytes: no byte past either size, dst's tail zeroed, dst's
 * sz kept. Returns how many bytes of src went over.
 */
size_t zec_copy_out(void *dst, const void *src, size_t own);
/*
 * The caller's src (sz first) into the library's dst of own bytes, zeroed
 * where src is shorter. -EINVAL below min, or if src has non-zero bytes
 * past own (fields of a newer header that this library cannot honour).
 */
int zec_copy_in(struct zec_handle *h, void *dst, size_t own, const void *src,
		size_t min, const char *type);

/*
 * Parsers of one raw netlink message, as received, into library structs.
 * They trust nothing in buf: lengths are checked against len, attributes
 * of a known type but a wrong size make them fail with -EINVAL, unknown
 * attributes are skipped so that newer kernels keep working.
 */

/* A ZEC_CMD_DEV_GET or ZEC_CMD_STATS_GET reply. On error dev is freed. */
int zec_parse_device(const void *buf, size_t len, struct zec_device *dev);
/*
 * A notification; -ENOMSG if it is of a command the library ignores, with
 * ev->ifindex and ev->generation set (type 0) when it names a device and
 * its generation, else ev->ifindex 0. Free with zec_event_clear(),
 * whatever it returned.
 */
int zec_parse_event(const void *buf, size_t len, struct zec_event *ev);
void zec_event_clear(struct zec_event *ev);
/* One source MAC of a ZEC_CMD_MAC_GET dump (ZEC_A_MAC_*). */
struct zec_mac {
	uint8_t addr[6];
	uint32_t node;			/* ZEC_NODE_NONE if not sent */
	uint32_t port_ifindex;
	uint32_t age_ms;
};

struct zec_mac_list {
	uint32_t ifindex;		/* of the device, 0 until a reply */
	size_t n;
	size_t cap;			/* room at macs */
	struct zec_mac *macs;
};

/*
 * One ZEC_CMD_MAC_GET dump message: its MACs appended to list. -EINVAL,
 * with a message in h if h, for a malformed one: a message of another
 * device than the ones before, or a MAC nest without an address.
 */
int zec_parse_macs(struct zec_handle *h, const void *buf, size_t len,
		   struct zec_mac_list *list);

/*
 * An NLMSG_ERROR or NLMSG_DONE message: returns its negative errno (0 for
 * an ack) and copies an extack message, if any, into msg ("" if none).
 */
int zec_parse_ack(const void *buf, size_t len, char *msg, size_t msg_size);

/* What the genetlink controller told us about family zec. */
struct zec_family {
	uint16_t id;
	uint32_t monitor_group;		/* 0 if the kernel has no such group */
};

/* A CTRL_CMD_GETFAMILY reply. */
int zec_parse_family(const void *buf, size_t len, struct zec_family *family);

/*
 * Last generation seen per device, to tell when notifications were lost.
 * zec_gen_track() returns 1 when gen skips past the next expected value,
 * 0 otherwise, or -ENOMEM; either way it remembers gen.
 */
struct zec_gen_entry {
	uint32_t ifindex;
	uint32_t generation;
};

struct zec_gen_table {
	size_t n;
	struct zec_gen_entry *entries;
};

int zec_gen_track(struct zec_gen_table *table, uint32_t ifindex,
		  uint32_t gen);
void zec_gen_clear(struct zec_gen_table *table);

static inline bool zec_valid_ifname(const char *name)
{
	return name && name[0] && strlen(name) < ZEC_IFNAMSIZ;
}

/* Receive buffer: large enough for any dump datagram the kernel builds. */
#define ZEC_RECV_SIZE 32768

struct mnl_socket;
struct nlmsghdr;

struct zec_handle {
	struct mnl_socket *genl;
	struct mnl_socket *rtnl;
	struct mnl_socket *monitor;	/* opened by zec_event_fd() */
	struct zec_family family;	/* id 0 until first needed */
	uint32_t seq;
	char error[256];		/* extack of the last failed request */
	struct zec_gen_table gens;
	/* notifications received but not yet handed out */
	size_t event_len;
	size_t event_off;
	char *event_buf;
	/* events handed out by the last zec_event_read(), owning their data */
	size_t n_held;
	struct zec_event *held;
	/* the device dump in flight on the monitor socket, if any */
	struct zec_resync {
		uint32_t seq;		/* of its request; 0: none */
		bool report;		/* a ZEC_EVENT_RESYNC when it ends */
		uint32_t ifindex;	/* of the event; 0: overrun */
		bool intr;		/* flagged NLM_F_DUMP_INTR */
		unsigned int tries;
		int err;		/* of a reply it could not parse */
		size_t n;
		struct zec_device **devs;
	} resync;
};

/* Drop the events the last zec_event_read() handed out. */
void zec_event_release(struct zec_handle *h);
/* Close the monitor socket and drop all event state. */
void zec_event_close(struct zec_handle *h);

/* Clears h's last error: the first thing of every call taking h. */
static inline void zec_call_start(struct zec_handle *h)
{
	h->error[0] = 0;
}

/* Every socket of the library: close-on-exec, whatever else flags say. */
struct mnl_socket *zec_socket(int bus, int flags);

/* Called for each reply message other than errors, acks and dump ends. */
typedef int (*zec_reply_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * A request of family zec in buf (MNL_SOCKET_BUFFER_SIZE), naming device
 * name (NULL for a dump). Returns NULL with *err set if the family or the
 * name is unusable.
 */
struct nlmsghdr *zec_request(struct zec_handle *h, char *buf, uint8_t cmd,
			     const char *name, int *err);

/* A dump the kernel marked interrupted (NLM_F_DUMP_INTR) is redone. */
#define ZEC_DUMP_TRIES 8

/* Valid name or -EINVAL with a message naming what: "device", "port". */
int zec_check_ifname(struct zec_handle *h, const char *name,
		     const char *what);

/* Send req on sock and run cb over the replies; the negative errno. */
int zec_transact(struct zec_handle *h, struct mnl_socket *sock,
		 struct nlmsghdr *req, zec_reply_cb cb, void *data);
int zec_resolve_family(struct zec_handle *h);
/* An rtnetlink link request in buf naming ifname (rtnl.c). */
struct nlmsghdr *zec_link_request(char *buf, uint16_t type, uint16_t flags,
				  const char *ifname);

/* What an RTM_NEWLINK of a PF says of one of its VFs (IFLA_VF_INFO). */
struct zec_vfinfo {
	bool has_mac;			/* a MAC is set: not all zero */
	uint8_t mac[6];
	bool has_vlan;
	uint16_t vlan;			/* 0: none */
};

/* Its IFLA_VFINFO_LIST into infos[vf] for each vf < n (the rest zero). */
int zec_parse_vfinfo(const void *buf, size_t len, struct zec_vfinfo *infos,
		     size_t n);

/*
 * zec_vf_pick() and zec_vhost_cpus() once they have the zec device of h
 * and dev, or NULL: apart so that the tests can give them a device.
 * zec_vhost_cpus_for() explains its errors on h (NULL: nowhere).
 */
int zec_vf_pick_for(struct zec_vf_list *list, int node,
		    const struct zec_device *zdev, pid_t owner,
		    const struct zec_vf **vfp);
int zec_vhost_cpus_for(struct zec_handle *h, const char *root,
		       const char *vm_cpus, const struct zec_device *zdev,
		       struct zec_vhost **vhostp);

#endif /* LIBZEC_INTERNAL_H */
