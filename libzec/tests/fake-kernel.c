// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel's side of libzec's netlink sockets, in the process: see
 * fake-kernel.h.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <zec/zec-uapi.h>

#include "fake-kernel.h"

#define QUEUED 8

int fake_kernel_on;
int fake_poll_eintr;

/* Datagrams in the order queued; len 0: a free slot. */
static struct {
	int fd;
	size_t len;
	char buf[8192];
} queued[QUEUED];

char *fake_queue(int fd)
{
	size_t i;

	for (i = 0; i < QUEUED; i++)
		if (!queued[i].len && !queued[i].fd) {
			queued[i].fd = fd + 1;	/* taken, not yet complete */
			return queued[i].buf;
		}
	return NULL;
}

void fake_queued(const char *buf, const struct nlmsghdr *last)
{
	size_t i;

	for (i = 0; i < QUEUED; i++)
		if (queued[i].buf == buf) {
			queued[i].fd--;
			queued[i].len = (size_t)((const char *)last - buf) +
					NLMSG_ALIGN(last->nlmsg_len);
		}
}

char *fake_after(struct nlmsghdr *nlh)
{
	return (char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);
}

struct nlmsghdr *fake_genl(char *buf, uint16_t type, uint8_t cmd,
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

struct nlmsghdr *fake_ack(char *buf, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->msg = *req;
	return nlh;
}

struct nlmsghdr *fake_done(char *buf, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = req->nlmsg_seq;
	memset(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), 0, sizeof(int));
	return nlh;
}

void fake_answer_family(int fd, const struct nlmsghdr *req)
{
	char *buf = fake_queue(fd);
	struct nlattr *groups, *group;
	struct nlmsghdr *nlh;

	if (!buf)
		return;
	nlh = fake_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, req->nlmsg_seq);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAKE_FAMILY_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEC_GENL_NAME);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	group = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, ZEC_MCGRP_MONITOR);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, FAKE_MONITOR_GROUP);
	mnl_attr_nest_end(nlh, group);
	mnl_attr_nest_end(nlh, groups);
	fake_queued(buf, fake_ack(fake_after(nlh), req));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t addrlen)
{
	if (!fake_kernel_on)
		return syscall(SYS_sendto, fd, buf, len, flags, addr, addrlen);
	fake_kernel_answer(fd, buf);
	return (ssize_t)len;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

/* The first complete datagram queued for fd, or -1. */
static int first_queued(int fd)
{
	int i;

	for (i = 0; i < QUEUED; i++)
		if (queued[i].len && queued[i].fd == fd)
			return i;
	return -1;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	int i = fake_kernel_on ? first_queued(fd) : -1;
	size_t n;

	if (!fake_kernel_on)
		return syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
	if (i < 0) {
		errno = EAGAIN;
		return -1;
	}
	n = queued[i].len < len ? queued[i].len : len;
	memcpy(buf, queued[i].buf, n);
	if (flags & MSG_TRUNC)
		n = queued[i].len;
	if (!(flags & MSG_PEEK)) {
		/* the datagrams after it move up: the order stays */
		memmove(&queued[i], &queued[i + 1],
			(QUEUED - (size_t)i - 1) * sizeof(queued[0]));
		memset(&queued[QUEUED - 1], 0, sizeof(queued[0]));
	}
	return (ssize_t)n;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct timespec ts = { timeout / 1000, timeout % 1000 * 1000000L };
	int ready = 0;
	nfds_t i;

	if (fake_poll_eintr > 0) {
		fake_poll_eintr--;
		errno = EINTR;
		return -1;
	}

	for (i = 0; fake_kernel_on && i < n; i++) {
		fds[i].revents = first_queued(fds[i].fd) >= 0 &&
				 (fds[i].events & POLLIN) ? POLLIN : 0;
		ready += !!fds[i].revents;
	}
	if (ready)
		return ready;
	return (int)syscall(SYS_ppoll, fds, n, timeout < 0 ? NULL : &ts,
			    NULL, 0);
}
