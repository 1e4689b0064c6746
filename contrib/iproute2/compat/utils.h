/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of iproute2 6.1's utils.h, libnetlink.h and ll_map.h that
 * iplink_zec.c uses, for building it as a plugin of an installed ip
 * (whose executable exports these functions). Declarations only, as
 * iproute2 v6.1.0 has them; in iproute2's own tree the real headers
 * are used instead.
 */
#ifndef ZEC_COMPAT_UTILS_H
#define ZEC_COMPAT_UTILS_H

#include <stdbool.h>
#include <asm/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "json_print.h"

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

void incomplete_command(void) __attribute__((noreturn));
#define NEXT_ARG() do { argv++; if (--argc <= 0) incomplete_command(); } while (0)

int get_u32(__u32 *val, const char *arg, int base);
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
int nodev(const char *dev);

int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);

static inline __u8 rta_getattr_u8(const struct rtattr *rta)
{
	return *(__u8 *)RTA_DATA(rta);
}

static inline __u32 rta_getattr_u32(const struct rtattr *rta)
{
	return *(__u32 *)RTA_DATA(rta);
}

unsigned int ll_name_to_index(const char *name);
const char *ll_index_to_name(unsigned int idx);

#endif
