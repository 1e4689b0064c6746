/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's side of libzec's netlink sockets, played in the process
 * (fake-kernel.c): it defines send(), sendto(), recv() and poll(), so a
 * program linked -rdynamic with it, or one it is preloaded into, has the
 * library's and libmnl's calls come here. While fake_kernel_on, requests
 * go to fake_kernel_answer(), which the user defines and which queues the
 * replies; recv() hands them out, poll() finds them; otherwise the calls
 * go to the kernel.
 */
#ifndef ZEC_FAKE_KERNEL_H
#define ZEC_FAKE_KERNEL_H

#include <stdint.h>
#include <linux/netlink.h>

/* The family id it gives zec, and its monitor group: nlctrl's "notify". */
#define FAKE_FAMILY_ID 0x30
#define FAKE_MONITOR_GROUP 16

extern int fake_kernel_on;
/* While above 0, poll() counts it down and fails with EINTR instead. */
extern int fake_poll_eintr;

/* Defined by the user: queue the answer to req, sent on fd. */
void fake_kernel_answer(int fd, const struct nlmsghdr *req);

/* A new datagram for fd, NULL if too many are queued. */
char *fake_queue(int fd);
/* The datagram buf is complete; its last message is last. */
void fake_queued(const char *buf, const struct nlmsghdr *last);
/* The place of the message after nlh in its datagram. */
char *fake_after(struct nlmsghdr *nlh);
/* A generic netlink message at buf. */
struct nlmsghdr *fake_genl(char *buf, uint16_t type, uint8_t cmd,
			   uint32_t seq);
/* An ack of req at buf. */
struct nlmsghdr *fake_ack(char *buf, const struct nlmsghdr *req);
/* As the kernel answers a CTRL_CMD_GETFAMILY of zec: family and ack. */
void fake_answer_family(int fd, const struct nlmsghdr *req);
/* The end of a dump, req's. */
struct nlmsghdr *fake_done(char *buf, const struct nlmsghdr *req);

#endif /* ZEC_FAKE_KERNEL_H */
