// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl probe set NAME target ADDR [target ADDR]... interval TIME
 *	[miss N] [recover N] [damp N window TIME hold TIME]
 * zecctl probe del NAME
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "zecctl.h"

static int parse_target(struct zecctl_req *req, const char *value)
{
	struct zec_probe_config *c = &req->probe_config;
	struct zec_probe_target *t;

	if (c->n_targets == ZEC_PROBE_TARGETS_MAX)
		return zecctl_invalid(req, "too many targets: at most %d",
				      ZEC_PROBE_TARGETS_MAX);
	t = &req->probe_targets[c->n_targets];
	if (inet_pton(AF_INET, value, &t->addr.v4) == 1)
		t->family = AF_INET;
	else if (inet_pton(AF_INET6, value, &t->addr.v6) == 1)
		t->family = AF_INET6;
	else
		return zecctl_invalid(req, "invalid target \"%s\": expected an IPv4 or IPv6 address",
				      value);
	c->n_targets++;
	return 0;
}

static int parse_interval(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_time(req, "interval", value,
				 ZEC_PROBE_INTERVAL_MS_MIN,
				 ZEC_PROBE_INTERVAL_MS_MAX,
				 &req->probe_config.interval_ms);
}

static int parse_miss(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_count(req, "miss", value, 1, ZEC_PROBE_COUNT_MAX,
				  &req->probe_config.miss_count);
}

static int parse_recover(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_count(req, "recover", value, 1,
				  ZEC_PROBE_COUNT_MAX,
				  &req->probe_config.recover_count);
}

static int parse_damp(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_count(req, "damp", value, 1,
				  ZEC_PROBE_DAMP_COUNT_MAX,
				  &req->probe_config.damp_count);
}

static int parse_window(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_time(req, "window", value, 1,
				 ZEC_PROBE_DAMP_MS_MAX,
				 &req->probe_config.damp_window_ms);
}

static int parse_hold(struct zecctl_req *req, const char *value)
{
	return zecctl_parse_time(req, "hold", value, 1, ZEC_PROBE_DAMP_MS_MAX,
				 &req->probe_config.damp_hold_ms);
}

static const struct zecctl_option probe_options[] = {
	{ "target", parse_target, true },
	{ "interval", parse_interval, false },
	{ "miss", parse_miss, false },
	{ "recover", parse_recover, false },
	{ "damp", parse_damp, false },
	{ "window", parse_window, false },
	{ "hold", parse_hold, false },
};

static const struct zecctl_subcommand probe_commands[] = {
	{ "set", ZECCTL_PROBE_SET },
	{ "del", ZECCTL_PROBE_DEL },
};

static int check_probe_set(struct zecctl_req *req)
{
	const struct zec_probe_config *c = &req->probe_config;
	bool damping = c->damp_count || c->damp_window_ms || c->damp_hold_ms;

	if (!c->n_targets)
		return zecctl_invalid(req, "\"probe set\" needs at least one \"target ADDR\"");
	if (!c->interval_ms)
		return zecctl_invalid(req, "\"probe set\" needs \"interval TIME\"");
	if (damping && (!c->damp_count || !c->damp_window_ms || !c->damp_hold_ms))
		return zecctl_invalid(req, "flap damping needs all of \"damp N window TIME hold TIME\"");
	return 0;
}

static int probe_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	err = zecctl_parse_subcommand(req, "probe", argc ? argv[0] : NULL,
				      probe_commands,
				      ARRAY_SIZE(probe_commands));
	if (err)
		return err;
	if (req->cmd == ZECCTL_PROBE_DEL)
		return zecctl_one_name(req, argc - 1, argv + 1, "device",
				       &req->dev);
	err = zecctl_one_name(req, argc > 1 ? 1 : 0, argv + 1, "device",
			      &req->dev);
	if (!err)
		err = zecctl_parse_options(req, argc - 2, argv + 2,
					   probe_options,
					   ARRAY_SIZE(probe_options));
	return err ? err : check_probe_set(req);
}

static int probe_run(struct zec_handle *h, struct zecctl_req *req,
		     struct out *o)
{
	int err;

	(void)o;
	if (req->cmd == ZECCTL_PROBE_DEL)
		return zec_probe_del(h, req->dev);
	err = zec_probe_set(h, req->dev, &req->probe_config);
	if (!err)
		zecctl_warn(h);	/* no address to probe from yet */
	return err;
}

const struct zecctl_object probe_object = {
	"probe", probe_parse, probe_run,
	"zecctl probe set NAME target ADDR [ target ADDR ]... interval TIME\n"
	"              [ miss N ] [ recover N ] [ damp N window TIME hold TIME ]\n"
	"       zecctl probe del NAME",
};
