// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl port add|del|set PORT [master NAME] [node N|auto] [enable on|off]
 */
#include <errno.h>
#include <string.h>

#include "zecctl.h"

static int parse_master(struct zecctl_req *req, const char *value)
{
	return zecctl_ifname(req, "device", value, &req->dev);
}

static int parse_node(struct zecctl_req *req, const char *value)
{
	req->port_config.set |= ZEC_PORT_SET_NODE;
	if (!strcmp(value, "auto")) {
		req->port_config.node = ZEC_NODE_NONE;
		return 0;
	}
	if (zecctl_parse_u32(req, value, ZEC_NODE_ID_MAX,
			     &req->port_config.node))
		return zecctl_invalid(req, "invalid argument \"%s\": expected node 0 to %u or auto",
				      value, ZEC_NODE_ID_MAX);
	return 0;
}

static int parse_enable(struct zecctl_req *req, const char *value)
{
	req->port_config.set |= ZEC_PORT_SET_ENABLED;
	if (!strcmp(value, "on"))
		req->port_config.enabled = true;
	else if (!strcmp(value, "off"))
		req->port_config.enabled = false;
	else
		return zecctl_invalid(req, "invalid argument \"%s\": expected enable on or off",
				      value);
	return 0;
}

/* "port del" takes only the master: the first entry. */
static const struct zecctl_option port_options[] = {
	{ "master", parse_master, false },
	{ "node", parse_node, false },
	{ "enable", parse_enable, false },
};

static const struct zecctl_subcommand port_commands[] = {
	{ "add", ZECCTL_PORT_ADD },
	{ "del", ZECCTL_PORT_DEL },
	{ "set", ZECCTL_PORT_SET },
};

static int port_parse(int argc, char **argv, struct zecctl_req *req)
{
	size_t n_options = ARRAY_SIZE(port_options);
	int err;

	err = zecctl_parse_subcommand(req, "port", argc ? argv[0] : NULL,
				      port_commands, ARRAY_SIZE(port_commands));
	if (err)
		return err;
	err = zecctl_one_name(req, argc > 1 ? 1 : 0, argv + 1, "port",
			      &req->port);
	if (err)
		return err;
	if (req->cmd == ZECCTL_PORT_DEL)
		n_options = 1;
	err = zecctl_parse_options(req, argc - 2, argv + 2, port_options,
				   n_options);
	if (err)
		return err;
	if (req->cmd == ZECCTL_PORT_ADD && !req->dev)
		return zecctl_invalid(req, "\"port add\" needs \"master NAME\"");
	if (req->cmd == ZECCTL_PORT_SET && !req->port_config.set)
		return zecctl_invalid(req, "nothing to set: give node or enable");
	return 0;
}

/* The zec device port belongs to, for commands given no master. */
static int find_master(struct zec_handle *h, const char *port,
		       char master[IF_NAMESIZE])
{
	struct zec_device **devs;
	size_t i, j, n;
	int err;

	err = zec_device_list(h, &devs, &n);
	if (err)
		return err;
	err = -ENODEV;
	for (i = 0; err && i < n; i++) {
		for (j = 0; j < devs[i]->n_ports; j++) {
			if (!strcmp(devs[i]->ports[j]->ifname, port)) {
				memcpy(master, devs[i]->ifname, IF_NAMESIZE);
				err = 0;
				break;
			}
		}
	}
	zec_device_list_free(devs, n);
	return err;
}

static int port_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	char master[IF_NAMESIZE];
	const char *dev = req->dev;
	int err;

	(void)o;
	if (!dev) {
		err = find_master(h, req->port, master);
		if (err == -ENODEV)
			zecctl_invalid(req, "\"%s\" is not a port of any zec device",
				       req->port);
		if (err)
			return err;
		dev = master;
	}
	switch (req->cmd) {
	case ZECCTL_PORT_ADD:
		return zec_port_add(h, dev, req->port, &req->port_config);
	case ZECCTL_PORT_DEL:
		return zec_port_del(h, dev, req->port);
	default:
		return zec_port_set(h, dev, req->port, &req->port_config);
	}
}

const struct zecctl_object port_object = {
	"port", port_parse, port_run,
	"zecctl port { add | del | set } PORT [ master NAME ] [ node { N | auto } ] [ enable { on | off } ]",
};
