// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl dev set NAME [updelay MS] [garp N] [mode lag|independent]
 */
#include <string.h>

#include "zecctl.h"

static int parse_updelay(struct zecctl_req *req, const char *value)
{
	req->dev_config.set |= ZEC_DEV_SET_UP_DELAY;
	return zecctl_parse_u32(req, value, ZEC_UP_DELAY_MS_MAX,
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

static const struct zecctl_option dev_set_options[] = {
	{ "updelay", parse_updelay },
	{ "garp", parse_garp },
	{ "mode", parse_mode },
};

static const struct zecctl_subcommand dev_commands[] = {
	{ "set", ZECCTL_DEV_SET },
};

static int dev_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	if (zecctl_wants_help(argc, argv, req))
		return 0;
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
		err = zecctl_invalid(req, "nothing to set: give updelay, garp or mode");
	return err;
}

static int dev_run(struct zec_handle *h, struct zecctl_req *req,
		   struct out *o)
{
	(void)o;
	return zec_dev_set(h, req->dev, &req->dev_config);
}

const struct zecctl_object dev_object = {
	"dev", dev_parse, dev_run,
	"zecctl dev set NAME [ updelay MS ] [ garp N ] [ mode { lag | independent } ]",
};
