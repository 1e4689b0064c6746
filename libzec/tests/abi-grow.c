// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program built against the 1.0 header (libzec/abi/1.0), run against a
 * library whose structs with sz grew a trailing field: the library must
 * write nothing past the caller's struct. A canary follows each struct.
 * Works without the zec module: a failed zec_device_get() cleared the
 * caller's struct at the library's size in 0.1. For zec_event_read(),
 * whose array of the caller's structs must be filled at the caller's
 * stride, this program plays the kernel: it defines send(), sendto() and
 * recv() (linked -rdynamic, so the library's and libmnl's calls come
 * here) and answers the family lookup and the resync dump, then hands
 * out three failover notifications.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <zec/zec.h>

#define CANARY 0xa5

struct guarded_device {
	struct zec_device dev;
	unsigned char canary[256];
};

struct guarded_topology {
	struct zec_topology topo;
	unsigned char canary[256];
};

static int intact(const unsigned char *canary, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (canary[i] != CANARY) {
			printf("FAIL abi: %s: byte %zu past the 1.0 struct overwritten\n",
			       what, i);
			return 0;
		}
	}
	return 1;
}

/* The fake kernel: on, one datagram queued per socket at most. */
#define FAMILY_ID 0x30
#define MONITOR_GROUP 16	/* nlctrl's "notify": anyone may join */
#define EVENTS 3

static int faking;
static struct {
	int fd;
	size_t len;
	char buf[8192];
} queued[4];

static char *queue(int fd)
{
	size_t i;

	for (i = 0; i < sizeof(queued) / sizeof(queued[0]); i++)
		if (!queued[i].len) {
			queued[i].fd = fd;
			return queued[i].buf;
		}
	return NULL;
}

/* Datagram buf ends at the message nlh; record its length. */
static void queued_end(const char *buf, const struct nlmsghdr *nlh)
{
	size_t i;

	for (i = 0; i < sizeof(queued) / sizeof(queued[0]); i++)
		if (queued[i].buf == buf)
			queued[i].len = (size_t)((const char *)nlh - buf) +
					NLMSG_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *genl_message(char *buf, uint16_t type, uint8_t cmd,
				     uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = ZEC_GENL_VERSION;
	return nlh;
}

/* The family, with its monitor group, and the ack of the lookup. */
static void answer_family(int fd, const struct nlmsghdr *req)
{
	char *buf = queue(fd);
	struct nlmsghdr *nlh;
	struct nlattr *groups, *group;
	struct nlmsgerr *err;

	if (!buf)
		return;
	nlh = genl_message(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY,
			   req->nlmsg_seq);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEC_GENL_NAME);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	group = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, ZEC_MCGRP_MONITOR);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, MONITOR_GROUP);
	mnl_attr_nest_end(nlh, group);
	mnl_attr_nest_end(nlh, groups);
	nlh = (struct nlmsghdr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
	nlh = mnl_nlmsg_put_header(nlh);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->msg = *req;
	queued_end(buf, nlh);
}

/* An empty dump, then EVENTS failovers of generations 1, 2, 3. */
static void answer_dump(int fd, const struct nlmsghdr *req)
{
	char *buf = queue(fd);
	struct nlmsghdr *nlh;
	uint32_t i;

	if (!buf)
		return;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = req->nlmsg_seq;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	queued_end(buf, nlh);
	buf = queue(fd);
	for (i = 0, nlh = (struct nlmsghdr *)buf; buf && i < EVENTS; i++) {
		nlh = genl_message((char *)nlh, FAMILY_ID,
				   ZEC_CMD_FAILOVER_NTF, 0);
		mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 7);
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec-abi");
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, i + 1);
		if (i + 1 < EVENTS)
			nlh = (struct nlmsghdr *)((char *)nlh +
						  NLMSG_ALIGN(nlh->nlmsg_len));
	}
	if (buf)
		queued_end(buf, nlh);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t addrlen)
{
	const struct nlmsghdr *req = buf;

	if (!faking)
		return syscall(SYS_sendto, fd, buf, len, flags, addr, addrlen);
	if (req->nlmsg_type == GENL_ID_CTRL)
		answer_family(fd, req);
	else
		answer_dump(fd, req);
	return (ssize_t)len;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	size_t i, n;

	if (!faking)
		return syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
	for (i = 0; i < sizeof(queued) / sizeof(queued[0]); i++) {
		if (!queued[i].len || queued[i].fd != fd)
			continue;
		n = queued[i].len < len ? queued[i].len : len;
		memcpy(buf, queued[i].buf, n);
		if (flags & MSG_TRUNC)
			n = queued[i].len;
		if (!(flags & MSG_PEEK)) {
			queued[i].len = 0;
			/* the next datagram of fd moves up */
			memmove(&queued[i], &queued[i + 1],
				(sizeof(queued) / sizeof(queued[0]) - i - 1) *
				sizeof(queued[0]));
			memset(&queued[sizeof(queued) / sizeof(queued[0]) - 1],
			       0, sizeof(queued[0]));
		}
		return (ssize_t)n;
	}
	errno = EAGAIN;
	return -1;
}

struct guarded_events {
	struct zec_event evs[EVENTS];
	unsigned char canary[256];
};

/* EVENTS events into a 1.0 array: each at its own place, none past it. */
static int events_ok(struct zec_handle *h)
{
	struct guarded_events g;
	int fd, n, i, ok = 1;

	memset(&g, CANARY, sizeof(g));
	g.evs[0].sz = sizeof(g.evs[0]);
	faking = 1;
	fd = zec_event_fd(h);
	n = fd < 0 ? fd : zec_event_read(h, g.evs, EVENTS);
	faking = 0;
	if (n != EVENTS) {
		printf("FAIL abi: zec_event_read() from the fake kernel: %d, want %d\n",
		       n, EVENTS);
		return 0;
	}
	for (i = 0; i < EVENTS; i++) {
		if (g.evs[i].sz != sizeof(g.evs[i]) ||
		    g.evs[i].type != ZEC_EVENT_FAILOVER ||
		    g.evs[i].generation != (uint32_t)i + 1 ||
		    strcmp(g.evs[i].ifname, "zec-abi")) {
			printf("FAIL abi: zec_event_read(): event %d not at its 1.0 place (sz %zu, type %d, generation %u)\n",
			       i, g.evs[i].sz, (int)g.evs[i].type,
			       g.evs[i].generation);
			ok = 0;
		}
	}
	return ok && intact(g.canary, sizeof(g.canary), "zec_event_read()");
}

int main(void)
{
	struct guarded_device d;
	struct guarded_topology t;
	struct zec_handle *h;
	int ok = 1, err;

	memset(&d, CANARY, sizeof(d));
	memset(&t, CANARY, sizeof(t));
	d.dev.sz = sizeof(d.dev);
	t.topo.sz = sizeof(t.topo);
	if (zec_open(&h)) {
		printf("FAIL abi: zec_open\n");
		return 1;
	}
	/* fails without the module (or device): cleared, not overrun */
	zec_device_get(h, "zec-abi-test", &d.dev);
	ok &= intact(d.canary, sizeof(d.canary), "zec_device_get()");
	zec_device_free(&d.dev);	/* frees nothing after a failure */
	ok &= intact(d.canary, sizeof(d.canary), "zec_device_free()");
	ok &= d.dev.sz == sizeof(d.dev);
	err = zec_topology_get(&t.topo);
	ok &= !err && t.topo.n_nodes > 0 &&
	      intact(t.canary, sizeof(t.canary), "zec_topology_get()");
	zec_topology_free(&t.topo);
	ok &= intact(t.canary, sizeof(t.canary), "zec_topology_free()");
	ok &= events_ok(h);
	zec_close(h);
	if (ok)
		printf("PASS abi: a 1.0 program's structs, with a grown library\n");
	return !ok;
}
