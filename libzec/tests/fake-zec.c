// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Preloaded into libzec/examples/reattach-agent by run-tests.sh: a kernel
 * with a zec device zec0 over n0p0 and n1p0, both up when first asked;
 * n1p0 goes down, with its PORT_STATE notification, once the agent has
 * read that state. With FAKE_ZEC_RESYNC set the notification is lost
 * instead: the next one, a configuration change the agent ignores, skips
 * a generation, and only the dump of the library's resync says n1p0 is
 * down (a ZEC_DEV_GET of zec0 keeps saying up). With FAKE_ZEC_EINTR set,
 * the agent's first poll() fails with EINTR, as a signal handled
 * meanwhile makes it. With FAKE_ZEC_LOG set to a file, every request
 * but the reads (family and ZEC_CMD_DEV_GET) is appended to it as
 * "TYPE CMD", and acked: run-tests.sh sees what "zecctl apply" changes.
 * Then zec0's mode, up delay and GARP count and its ports' node override
 * and enable are kept in FAKE_ZEC_LOG.state, from one process to the
 * next: ZEC_CMD_DEV_SET and ZEC_CMD_PORT_SET change them, replies say
 * them. With FAKE_ZEC_REFUSE set, a ZEC_CMD_DEV_SET is refused instead,
 * with EINVAL and FAKE_ZEC_REFUSE's text as its extack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <zec/zec-uapi.h>

#include "fake-kernel.h"

static int monitor_fd = -1;
static uint32_t generation = 1;
static uint32_t n1p0_state = ZEC_PORT_STATE_UP;
static int resync_only;

/* What ZEC_CMD_DEV_SET and ZEC_CMD_PORT_SET change (FAKE_ZEC_LOG). */
static struct {
	uint32_t mode, up_delay_ms, garp_count;
	uint32_t node_override[2];		/* n0p0, n1p0 */
	uint8_t enabled[2];
} set = { .node_override = { ZEC_NODE_NONE, ZEC_NODE_NONE },
	  .enabled = { 1, 1 } };

static void state_io(const char *mode)
{
	const char *log = getenv("FAKE_ZEC_LOG");
	char path[4096];
	FILE *fp;

	if (!log || !log[0])
		return;
	snprintf(path, sizeof(path), "%s.state", log);
	fp = fopen(path, mode);
	if (!fp)
		return;
	if (mode[0] == 'w')
		fwrite(&set, sizeof(set), 1, fp);
	else if (fread(&set, sizeof(set), 1, fp) != 1)
		set.enabled[0] = set.enabled[1] = 1;
	fclose(fp);
}

static uint32_t attr_u32(const struct nlattr *a)
{
	return mnl_attr_get_u32(a);
}

/* A ZEC_A_DEV_PORT nest of a ZEC_CMD_PORT_SET. */
static void port_set(const struct nlattr *nest)
{
	const struct nlattr *a;
	int i = -1;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == ZEC_A_PORT_IFNAME)
			i = !strcmp(mnl_attr_get_str(a), "n1p0") ? 1 :
			    !strcmp(mnl_attr_get_str(a), "n0p0") ? 0 : -1;
	if (i < 0)
		return;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case ZEC_A_PORT_NODE_OVERRIDE:
			set.node_override[i] = attr_u32(a);
			break;
		case ZEC_A_PORT_NODE_AUTO:
			set.node_override[i] = ZEC_NODE_NONE;
			break;
		case ZEC_A_PORT_ENABLED:
			set.enabled[i] = mnl_attr_get_u8(a);
			break;
		}
	}
}

static void apply_set(const struct nlmsghdr *req, uint8_t cmd)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case ZEC_A_DEV_MODE:
			if (cmd == ZEC_CMD_DEV_SET)
				set.mode = attr_u32(a);
			break;
		case ZEC_A_DEV_UP_DELAY_MS:
			set.up_delay_ms = attr_u32(a);
			break;
		case ZEC_A_DEV_GARP_COUNT:
			set.garp_count = attr_u32(a);
			break;
		case ZEC_A_DEV_PORT:
			if (cmd == ZEC_CMD_PORT_SET)
				port_set(a);
			break;
		}
	}
	state_io("w");
}

static void put_port(struct nlmsghdr *nlh, uint32_t ifindex,
		     const char *name, uint32_t state)
{
	struct nlattr *port = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
	int i = ifindex == 3;

	mnl_attr_put_u32(nlh, ZEC_A_PORT_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME, name);
	mnl_attr_put_u8(nlh, ZEC_A_PORT_ENABLED, set.enabled[i]);
	if (set.node_override[i] != ZEC_NODE_NONE)
		mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE_OVERRIDE,
				 set.node_override[i]);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_STATE, state);
	mnl_attr_nest_end(nlh, port);
}

static struct nlmsghdr *zec0(char *buf, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *nlh = fake_genl(buf, FAKE_FAMILY_ID, cmd, seq);

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 7);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, generation);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_MODE, set.mode);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_UP_DELAY_MS, set.up_delay_ms);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT, set.garp_count);
	return nlh;
}

/* n1p0 goes down: the state, and its notification on the monitor socket */
static void pull_cable(void)
{
	char *buf = fake_queue(monitor_fd);
	struct nlmsghdr *nlh;

	n1p0_state = ZEC_PORT_STATE_DOWN;
	generation += resync_only ? 2 : 1;
	if (!buf)
		return;
	if (resync_only) {
		nlh = zec0(buf, ZEC_CMD_DEV_CHANGE_NTF, 0);
	} else {
		nlh = zec0(buf, ZEC_CMD_PORT_STATE_NTF, 0);
		put_port(nlh, 3, "n1p0", n1p0_state);
	}
	fake_queued(buf, nlh);
}

/* zec0 as the kernel describes it, in a reply or a dump */
static struct nlmsghdr *zec0_state(char *buf, uint32_t seq, uint32_t n1p0)
{
	struct nlmsghdr *nlh = zec0(buf, ZEC_CMD_DEV_GET, seq);

	put_port(nlh, 2, "n0p0", ZEC_PORT_STATE_UP);
	put_port(nlh, 3, "n1p0", n1p0);
	return nlh;
}

/* A request that changes something, logged if FAKE_ZEC_LOG says where. */
static int log_change(const struct nlmsghdr *req)
{
	const char *path = getenv("FAKE_ZEC_LOG");
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	FILE *fp;

	if (!path || !path[0] || (req->nlmsg_type == FAKE_FAMILY_ID &&
				  genl->cmd == ZEC_CMD_DEV_GET))
		return 0;
	fp = fopen(path, "a");
	if (fp) {
		fprintf(fp, "%u %u\n", req->nlmsg_type,
			req->nlmsg_type == FAKE_FAMILY_ID ? genl->cmd : 0);
		fclose(fp);
	}
	if (req->nlmsg_type == FAKE_FAMILY_ID)
		apply_set(req, genl->cmd);
	return 1;
}

/* RTM_NEWLINK (zecctl link add) has GENL_ID_CTRL's number. */
static int is_rtnl(int fd)
{
	int protocol = 0;
	socklen_t len = sizeof(protocol);

	return !getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) &&
	       protocol == NETLINK_ROUTE;
}

/* A ZEC_CMD_DEV_SET, with FAKE_ZEC_REFUSE set. */
static int refused(const struct nlmsghdr *req)
{
	const char *why = getenv("FAKE_ZEC_REFUSE");
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);

	return why && why[0] && req->nlmsg_type == FAKE_FAMILY_ID &&
	       genl->cmd == ZEC_CMD_DEV_SET;
}

/* As the kernel refuses a request: EINVAL, and why as extack. */
static struct nlmsghdr *refusal(char *buf, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = fake_ack(buf, req);
	struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	err->error = -EINVAL;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, getenv("FAKE_ZEC_REFUSE"));
	return nlh;
}

void fake_kernel_answer(int fd, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh;
	char *buf;

	if (req->nlmsg_type == GENL_ID_CTRL && !is_rtnl(fd)) {
		fake_answer_family(fd, req);
		return;
	}
	buf = fake_queue(fd);
	if (!buf)
		return;
	if (refused(req)) {
		fake_queued(buf, refusal(buf, req));
		return;
	}
	if (log_change(req)) {
		fake_queued(buf, fake_ack(buf, req));
		return;
	}
	if ((req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		/* the event socket's dumps */
		monitor_fd = fd;
		nlh = zec0_state(buf, req->nlmsg_seq, n1p0_state);
		nlh->nlmsg_flags |= NLM_F_MULTI;
		fake_queued(buf, fake_done(fake_after(nlh), req));
		return;
	}
	/* ZEC_CMD_DEV_GET of zec0, the only request the agent makes */
	nlh = zec0_state(buf, req->nlmsg_seq,
			 resync_only ? ZEC_PORT_STATE_UP : n1p0_state);
	fake_queued(buf, fake_ack(fake_after(nlh), req));
	if (n1p0_state == ZEC_PORT_STATE_UP && monitor_fd >= 0)
		pull_cable();
}

static void __attribute__((constructor)) start(void)
{
	const char *resync = getenv("FAKE_ZEC_RESYNC");
	const char *eintr = getenv("FAKE_ZEC_EINTR");

	fake_kernel_on = 1;
	state_io("r");
	resync_only = resync && resync[0];
	fake_poll_eintr = eintr && eintr[0];
}
