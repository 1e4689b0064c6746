// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw generic netlink for the in-guest test helpers: see nlhelp.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/zec.h>

#include "nlhelp.h"

int failures;
struct mnl_socket *sock;
unsigned int seq;
char extack[256];

void report(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what,
	       detail ? ": " : "", detail ? detail : "");
	if (!ok)
		failures++;
}

int nl_open(unsigned int timeout_ms)
{
	struct timeval tv = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };
	int one = 1;

	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock)
		return -errno;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID))
		return -errno;
	mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (timeout_ms &&
	    setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)))
		return -errno;
	return 0;
}

struct nlmsghdr *request(char *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static int family_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_reply(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_cb, data);
	return 0;
}

uint16_t family_id(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	uint16_t id = 0;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEC_GENL_NAME);
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (transact_raw(nlh, nlh->nlmsg_len, family_reply, &id))
		return 0;
	return id;
}

/* The ack's error, and its extack message if any. */
static int ack_error(const struct nlmsghdr *r)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(r);
	const struct nlattr *a;

	if (r->nlmsg_type == NLMSG_DONE)
		return r->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ?
		       *(int *)mnl_nlmsg_get_payload(r) : 0;
	if (r->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each(a, r, sizeof(*e))
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				snprintf(extack, sizeof(extack), "%s",
					 mnl_attr_get_str(a));
	return e->error;
}

int transact_raw(struct nlmsghdr *nlh, size_t len, reply_cb cb, void *data)
{
	static char buf[NL_RECV_SIZE];
	const struct nlmsghdr *r;
	int n, ret;

	nlh->nlmsg_seq = ++seq;
	extack[0] = 0;
	if (mnl_socket_sendto(sock, nlh, len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		for (r = (void *)buf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR ||
			    r->nlmsg_type == NLMSG_DONE)
				return ack_error(r);
			ret = cb ? cb(r, data) : 0;
			if (ret)
				return ret;
		}
	}
}

int transact(struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return transact_raw(nlh, nlh->nlmsg_len, NULL, NULL);
}
