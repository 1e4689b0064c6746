/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct link_util as iproute2 6.1's ip/ip_common.h lays it out: ip finds
 * a plugin's "<kind>_link_util" with dlsym() and calls through it.
 */
#ifndef ZEC_COMPAT_IP_COMMON_H
#define ZEC_COMPAT_IP_COMMON_H

#include <stdio.h>

#include "utils.h"

struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *, int, char **,
					     struct nlmsghdr *);
	void			(*print_opt)(struct link_util *, FILE *,
					     struct rtattr *[]);
	void			(*print_xstats)(struct link_util *, FILE *,
						struct rtattr *);
	void			(*print_help)(struct link_util *, int, char **,
					      FILE *);
	int			(*parse_ifla_xstats)(struct link_util *,
						     int, char **);
	int			(*print_ifla_xstats)(struct nlmsghdr *, void *);
};

#endif
