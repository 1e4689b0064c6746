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

/*
 * Parsers of one raw netlink message, as received, into library structs.
 * They trust nothing in buf: lengths are checked against len, attributes
 * of a known type but a wrong size make them fail with -EINVAL, unknown
 * attributes are skipped so that newer kernels keep working.
 */

/* A ZEC_CMD_DEV_GET or ZEC_CMD_STATS_GET reply. On error dev is freed. */
int zec_parse_device(const void *buf, size_t len, struct zec_device *dev);
/* A notification; -ENOMSG if it is of a command the library ignores. */
int zec_parse_event(const void *buf, size_t len, struct zec_event *ev);
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
	return name && name[0] && strlen(name) < IF_NAMESIZE;
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
};

/* Called for each reply message other than errors, acks and dump ends. */
typedef int (*zec_reply_cb)(const struct nlmsghdr *nlh, void *data);

/* Send req on sock and run cb over the replies; the negative errno. */
int zec_transact(struct zec_handle *h, struct mnl_socket *sock,
		 struct nlmsghdr *req, zec_reply_cb cb, void *data);
int zec_resolve_family(struct zec_handle *h);
/* An rtnetlink link request in buf naming ifname (rtnl.c). */
struct nlmsghdr *zec_link_request(char *buf, uint16_t type, uint16_t flags,
				  const char *ifname);

/*
 * zec_vf_pick() and zec_vhost_cpus() once they have the zec device of h
 * and dev, or NULL: apart so that the tests can give them a device.
 */
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

int zec_vf_pick_for(struct zec_vf_list *list, int node,
		    const struct zec_device *zdev, pid_t owner,
		    const struct zec_vf **vfp);
int zec_vhost_cpus_for(const char *root, const char *vm_cpus,
		       const struct zec_device *zdev,
		       struct zec_vhost **vhostp);

#endif /* LIBZEC_INTERNAL_H */
