// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl link add|del NAME: the same rtnetlink requests as "ip link".
 */
#include "zecctl.h"

static const struct zecctl_subcommand link_commands[] = {
	{ "add", ZECCTL_LINK_ADD },
	{ "del", ZECCTL_LINK_DEL },
};

static int link_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	err = zecctl_parse_subcommand(req, "link", argc ? argv[0] : NULL,
				      link_commands, ARRAY_SIZE(link_commands));
	if (err)
		return err;
	return zecctl_one_name(req, argc - 1, argv + 1, "device", &req->dev);
}

static int link_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	(void)o;
	if (req->cmd == ZECCTL_LINK_ADD)
		return zec_link_add(h, req->dev);
	return zec_link_del(h, req->dev);
}

const struct zecctl_object link_object = {
	"link", link_parse, link_run, "zecctl link { add | del } NAME",
};
