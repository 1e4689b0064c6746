// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rtnetlink: create and delete zec links and enslave ports, exactly as
 * "ip link" does, so that both tools leave the same state behind.
 */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "internal.h"

struct nlmsghdr *zec_link_request(char *buf, uint16_t type, uint16_t flags,
				  const char *ifname)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

ZEC_EXPORT int zec_link_add(struct zec_handle *h, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *info;
	int err;

	zec_call_start(h);
	err = zec_check_ifname(h, name, "device");
	if (err)
		return err;
	nlh = zec_link_request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
			       name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, ZEC_GENL_NAME);
	mnl_attr_nest_end(nlh, info);
	return zec_transact(h, h->rtnl, nlh, NULL, NULL);
}

ZEC_EXPORT int zec_link_del(struct zec_handle *h, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int err;

	zec_call_start(h);
	err = zec_check_ifname(h, name, "device");
	if (err)
		return err;
	return zec_transact(h, h->rtnl,
			    zec_link_request(buf, RTM_DELLINK, 0, name),
			    NULL, NULL);
}

ZEC_EXPORT int zec_link_set_master(struct zec_handle *h, const char *port,
				   const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	unsigned int master = 0;
	int err;

	zec_call_start(h);
	err = zec_check_ifname(h, port, "port");
	if (!err && name)
		err = zec_check_ifname(h, name, "device");
	if (err)
		return err;
	if (name) {
		master = if_nametoindex(name);
		if (!master)
			return zec_error(h, -ENODEV, "no interface %s", name);
	}
	nlh = zec_link_request(buf, RTM_NEWLINK, 0, port);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	return zec_transact(h, h->rtnl, nlh, NULL, NULL);
}
