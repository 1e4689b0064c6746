// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl dev set NAME [updelay TIME] [garp N] [mode lag|independent]
 *	[rxport DEV|auto] [mac-table SIZE] [mac-ageing TIME]
 *	[announce N] [announce-interval TIME] [announce-rate PPS]
 */
#include <stdio.h>
#include <string.h>

#include "zecctl.h"

static int parse_updelay(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_UP_DELAY;
	return zecctl_parse_time(req, "updelay", value, 0,
				 ZEC_UP_DELAY_MS_MAX,
				 &req->dev_config.up_delay_ms);
}

static int parse_garp(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_GARP;
	return zecctl_parse_u32(req, value, ZEC_GARP_COUNT_MAX,
				&req->dev_config.garp_count);
}

static int parse_mode(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_MODE;
	if (zecctl_mode_parse(value, &req->dev_config.mode))
		return zecctl_invalid(req, "invalid argument \"%s\": expected mode lag or independent",
				      value);
	return 0;
}

/* A port name, resolved to its ifindex when run; "auto" is 0. */
static int parse_rxport(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_RX_PORT;
	req->dev_config.rx_port_ifindex = 0;
	req->rx_port = NULL;
	if (!strcmp(value, "auto"))
		return 0;
	return zecctl_ifname(req, "port", value, &req->rx_port);
}

static int parse_mac_table(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_MAC_TABLE_SIZE;
	return zecctl_parse_count(req, "mac-table size", value,
				  ZEC_MAC_TABLE_SIZE_MIN,
				  ZEC_MAC_TABLE_SIZE_MAX,
				  &req->dev_config.mac_table_size);
}

static int parse_mac_ageing(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_MAC_AGEING;
	return zecctl_parse_time(req, "mac-ageing", value,
				 ZEC_MAC_AGEING_MS_MIN, ZEC_MAC_AGEING_MS_MAX,
				 &req->dev_config.mac_ageing_ms);
}

static int parse_announce(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_ANNOUNCE_COUNT;
	return zecctl_parse_count(req, "announce count", value, 0,
				  ZEC_ANNOUNCE_COUNT_MAX,
				  &req->dev_config.announce_count);
}

static int parse_announce_interval(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_ANNOUNCE_INTERVAL;
	return zecctl_parse_time(req, "announce-interval", value,
				 ZEC_ANNOUNCE_INTERVAL_MS_MIN,
				 ZEC_ANNOUNCE_INTERVAL_MS_MAX,
				 &req->dev_config.announce_interval_ms);
}

static int parse_announce_rate(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_ANNOUNCE_RATE;
	return zecctl_parse_count(req, "announce-rate", value,
				  ZEC_ANNOUNCE_RATE_MIN, ZEC_ANNOUNCE_RATE_MAX,
				  &req->dev_config.announce_rate);
}

static const struct zecctl_option dev_set_options[] = {
	{ "updelay", parse_updelay, false },
	{ "garp", parse_garp, false },
	{ "mode", parse_mode, false },
	{ "rxport", parse_rxport, false },
	{ "mac-table", parse_mac_table, false },
	{ "mac-ageing", parse_mac_ageing, false },
	{ "announce", parse_announce, false },
	{ "announce-interval", parse_announce_interval, false },
	{ "announce-rate", parse_announce_rate, false },
};

static const struct zecctl_subcommand dev_commands[] = {
	{ "set", ZECCTL_DEV_SET },
};

static int dev_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	err = zecctl_parse_subcommand(req, "dev", argc ? argv[0] : NULL,
				      dev_commands, ARRAY_SIZE(dev_commands));
	if (!err)
		err = zecctl_one_name(req, argc > 1 ? 1 : 0, argv + 1,
				      "device", &req->dev);
	if (!err)
		err = zecctl_parse_options(req, argc - 2, argv + 2,
					   dev_set_options,
					   ARRAY_SIZE(dev_set_options));
	if (!err && !req->dev_config.set)
		err = zecctl_invalid(req, "nothing to set: give updelay, garp, mode, rxport, mac-table, mac-ageing or announce*");
	return err;
}

/*
 * rxport names a port of the device, which the kernel takes by ifindex;
 * in lag mode, where every port receives, it waits for independent mode.
 */
static int resolve_rx_port(struct zec_handle *h, struct zecctl_req *req,
			   bool *lag)
{
	struct zec_device dev = { .sz = sizeof(dev) };
	size_t i;
	int err;

	err = zec_device_get(h, req->dev, &dev);
	if (err)
		return err;
	for (i = 0; req->rx_port && i < dev.n_ports; i++)
		if (!strcmp(dev.ports[i]->ifname, req->rx_port))
			req->dev_config.rx_port_ifindex = dev.ports[i]->ifindex;
	*lag = dev.config->mode == ZEC_MODE_LAG;
	zec_device_free(&dev);
	if (req->rx_port && !req->dev_config.rx_port_ifindex)
		return zecctl_invalid(req, "\"%s\" is not a port of %s",
				      req->rx_port, req->dev);
	if (req->dev_config.set & ZEC_DEV_SET_MODE)
		*lag = req->dev_config.mode == ZEC_MODE_LAG;
	return 0;
}

static int dev_run(struct zec_handle *h, struct zecctl_req *req,
		   struct out *o)
{
	bool lag = false;
	int err = 0;

	(void)o;
	if (req->dev_config.set & ZEC_DEV_SET_RX_PORT)
		err = resolve_rx_port(h, req, &lag);
	if (!err)
		err = zec_dev_set(h, req->dev, &req->dev_config);
	if (!err && lag)
		fprintf(stderr, "Note: %s is in lag mode, where every port receives; the receive port applies in independent mode\n",
			req->dev);
	return err;
}

const struct zecctl_object dev_object = {
	"dev", dev_parse, dev_run,
	"zecctl dev set NAME [ updelay TIME ] [ garp N ] [ mode { lag | independent } ]\n"
	"              [ rxport { DEV | auto } ] [ mac-table SIZE ] [ mac-ageing TIME ]\n"
	"              [ announce N ] [ announce-interval TIME ] [ announce-rate PPS ]",
};
