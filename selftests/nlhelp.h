/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw generic netlink for the in-guest test helpers (nltest, nlfuzz): what
 * libzec deliberately cannot send, malformed and hostile requests, and the
 * "ok ..." / "FAIL ..." report lines the selftests indent into their TAP.
 */
#ifndef ZEC_SELFTESTS_NLHELP_H
#define ZEC_SELFTESTS_NLHELP_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Room for any reply, a dump message of a device with every port too. */
#define NL_RECV_SIZE	(256 * 1024)

extern int failures;
extern struct mnl_socket *sock;
extern unsigned int seq;
extern char extack[256];

void report(int ok, const char *what, const char *detail);

/*
 * Open and bind sock, asking for extack messages without the echo of the
 * request; a receive timeout of timeout_ms (0: none) lets a caller send
 * what the kernel silently ignores. Returns 0 or -errno.
 */
int nl_open(unsigned int timeout_ms);

/* A request of type and generic netlink command cmd, no attributes. */
struct nlmsghdr *request(char *buf, uint16_t type, uint8_t cmd);

/* The id of family zec, 0 if it is not registered. */
uint16_t family_id(void);

/*
 * Called for each reply to the request that is not its ack or NLMSG_DONE;
 * non-zero ends the transaction with that value.
 */
typedef int (*reply_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Send len bytes at nlh (nlmsg_len may lie) under the next sequence
 * number, and read until its ack or NLMSG_DONE; return the error they
 * carry (0 for success), -errno of the socket (-EAGAIN when the timeout
 * passed without an answer), or what cb returned. Keeps the extack text.
 */
int transact_raw(struct nlmsghdr *nlh, size_t len, reply_cb cb, void *data);

/* transact_raw of a well-formed request, asking for an ack. */
int transact(struct nlmsghdr *nlh);

#endif
