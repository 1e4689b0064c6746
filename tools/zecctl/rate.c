// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl rate set NAME [port DEV] RATE [fallback RATE] [pps N]
 *                      [burst SIZE] [mode police|shape]
 * zecctl rate del NAME [port DEV]
 *
 * RATE is a percentage of the port's link speed ("90%") or bit/s with one
 * of tc(8)'s units ("9gbit", "2.5mbit", "100mbps", "1gibit"); SIZE is
 * bytes with one of tc's size units ("64k", "1.5kb", "512kbit"). Ranges
 * are the kernel's to judge: zecctl prints its explanation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zecctl.h"

/*
 * tc(8)'s units. The first six, decimal bit/s, are the ones zecctl prints
 * (print_bps).
 */
#define K 1000ULL
#define KI 1024ULL
static const struct zecctl_unit bit_units[] = {
	{ "", 1 }, { "bit", 1 }, { "kbit", K }, { "mbit", K * K },
	{ "gbit", K * K * K }, { "tbit", K * K * K * K },
	{ "kibit", KI }, { "mibit", KI * KI }, { "gibit", KI * KI * KI },
	{ "tibit", KI * KI * KI * KI },
	{ "bps", 8 }, { "kbps", 8 * K }, { "mbps", 8 * K * K },
	{ "gbps", 8 * K * K * K }, { "tbps", 8 * K * K * K * K },
	{ "kibps", 8 * KI }, { "mibps", 8 * KI * KI },
	{ "gibps", 8 * KI * KI * KI }, { "tibps", 8 * KI * KI * KI * KI },
};

#define PRINT_UNITS 6

/* bytes; kbit and its kin are of 1024 bits, as tc's */
static const struct zecctl_unit byte_units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", KI }, { "kb", KI }, { "kbit", KI / 8 },
	{ "m", KI * KI }, { "mb", KI * KI }, { "mbit", KI * KI / 8 },
	{ "g", KI * KI * KI }, { "gb", KI * KI * KI },
	{ "gbit", KI * KI * KI / 8 },
};

static const struct zecctl_unit count_units[] = {
	{ "", 1 }, { "k", K }, { "m", K * K },
};

/* The error of zecctl_parse_scaled() for keyword what. */
static int invalid_value(struct zecctl_req *req, const char *what,
			 const char *word, int err, const char *expected)
{
	if (err == -ERANGE)
		return zecctl_invalid(req, "invalid %s \"%s\": too large",
				      what, word);
	return zecctl_invalid(req, "invalid %s \"%s\": expected %s", what,
			      word, expected);
}

static int parse_bps(struct zecctl_req *req, const char *what,
		     const char *word, uint64_t *bps)
{
	int err = zecctl_parse_scaled(word, bit_units, ARRAY_SIZE(bit_units),
				      bps);

	return err ? invalid_value(req, what, word, err,
				   "a rate such as 90%, 9gbit, 2.5mbit or 100mbps") : 0;
}

static int parse_rate(struct zecctl_req *req, const char *word)
{
	size_t len = strlen(word);

	if (len < 2 || word[len - 1] != '%') {
		req->rate_given = ZECCTL_RATE_BPS;
		return parse_bps(req, "rate", word, &req->rate.bps);
	}
	req->rate_given = ZECCTL_RATE_PERCENT;
	/* 0% and 101% are the kernel's to refuse, not the parser's */
	if (strspn(word, "0123456789") != len - 1 || len > 10)
		return zecctl_invalid(req, "invalid rate \"%s\": expected a percentage such as 90%%",
				      word);
	req->rate.percent = (uint32_t)strtoul(word, NULL, 10);
	return 0;
}

static int parse_fallback(struct zecctl_req *req, const char *word)
{
	req->rate_fallback = true;
	return parse_bps(req, "fallback", word, &req->rate.bps);
}

static int parse_pps(struct zecctl_req *req, const char *word)
{
	int err = zecctl_parse_scaled(word, count_units,
				      ARRAY_SIZE(count_units), &req->rate.pps);

	return err ? invalid_value(req, "pps", word, err,
				   "packets/s such as 100k") : 0;
}

static int parse_burst(struct zecctl_req *req, const char *word)
{
	uint64_t bytes;
	int err = zecctl_parse_scaled(word, byte_units, ARRAY_SIZE(byte_units),
				      &bytes);

	if (!err && bytes > UINT32_MAX)
		err = -ERANGE;
	if (err)
		return invalid_value(req, "burst", word, err,
				     "bytes such as 64k or 1.5kb");
	req->rate.burst = (uint32_t)bytes;
	return 0;
}

static int parse_rate_mode(struct zecctl_req *req, const char *word)
{
	if (zecctl_rate_mode_parse(word, &req->rate.mode))
		return zecctl_invalid(req, "invalid argument \"%s\": expected mode police or shape",
				      word);
	return 0;
}

static int parse_port(struct zecctl_req *req, const char *word)
{
	return zecctl_ifname(req, "port", word, &req->port);
}

/* "rate del" takes only the port: the first entry. */
static const struct zecctl_option rate_options[] = {
	{ "port", parse_port, false },
	{ "fallback", parse_fallback, false },
	{ "pps", parse_pps, false },
	{ "burst", parse_burst, false },
	{ "mode", parse_rate_mode, false },
	{ NULL, parse_rate, false },
};

static const struct zecctl_subcommand rate_commands[] = {
	{ "set", ZECCTL_RATE_SET },
	{ "del", ZECCTL_RATE_DEL },
};

static int rate_parse(int argc, char **argv, struct zecctl_req *req)
{
	size_t n_options = ARRAY_SIZE(rate_options);
	int err;

	err = zecctl_parse_subcommand(req, "rate", argc ? argv[0] : NULL,
				      rate_commands, ARRAY_SIZE(rate_commands));
	if (!err)
		err = zecctl_one_name(req, argc > 1 ? 1 : 0, argv + 1,
				      "device", &req->dev);
	if (err)
		return err;
	if (req->cmd == ZECCTL_RATE_DEL)
		n_options = 1;
	err = zecctl_parse_options(req, argc - 2, argv + 2, rate_options,
				   n_options);
	if (err || req->cmd != ZECCTL_RATE_SET)
		return err;
	if (!req->rate_given && !req->rate.pps)
		return zecctl_invalid(req, "missing rate: give a percentage, bit/s or pps");
	/* the kernel takes bit/s beside a percentage as its fallback only */
	if (req->rate_fallback && req->rate_given != ZECCTL_RATE_PERCENT)
		return zecctl_invalid(req, "\"fallback\" goes with a percentage only (\"90%% fallback 9gbit\": 9gbit where the link speed is unknown); give one RATE");
	return 0;
}

static int rate_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	(void)o;
	if (req->cmd == ZECCTL_RATE_DEL)
		return zec_rate_del(h, req->dev, req->port);
	return zec_rate_set(h, req->dev, req->port, &req->rate);
}

void zecctl_format_bps(uint64_t bps, char *buf, size_t size)
{
	size_t i = PRINT_UNITS;

	while (--i > 1 && bps % bit_units[i].scale)
		;
	snprintf(buf, size, "%llu%s",
		 (unsigned long long)(bps / bit_units[i].scale),
		 i > 1 ? bit_units[i].name : "bit");
}

static void print_bps(struct out *o, const char *key, const char *label,
		      uint64_t bps)
{
	char text[32];

	zecctl_format_bps(bps, text, sizeof(text));
	out_uint(o, key, NULL, bps);
	out_text(o, "%s%s", label, text);
}

void zecctl_print_rate(struct out *o, const struct zec_rate *rate, bool port)
{
	out_open_object(o, "rate");
	out_text(o, " rate");
	if (rate->percent)
		out_uint(o, "percent", " %llu%%", rate->percent);
	if (rate->bps)
		print_bps(o, "bps", rate->percent ? " fallback " : " ",
			  rate->bps);
	if (rate->pps)
		out_uint(o, "pps", " pps %llu", rate->pps);
	if (rate->burst)
		out_uint(o, "burst", " burst %llu", rate->burst);
	out_string(o, "mode", " %s", zecctl_rate_mode_name(rate->mode));
	if (port) {
		out_bool(o, "inherited", NULL, rate->inherited);
		if (rate->inherited)
			out_text(o, " (device default)");
		if (rate->active_bps)
			print_bps(o, "active_bps", " active ",
				  rate->active_bps);
		else
			out_uint(o, "active_bps", NULL, 0);
		if (rate->active_pps)
			out_uint(o, "active_pps", " active-pps %llu",
				 rate->active_pps);
		else
			out_uint(o, "active_pps", NULL, 0);
		out_uint(o, "active_burst", " active-burst %llu",
			 rate->active_burst);
		if (!rate->active_bps && !rate->active_pps)
			out_text(o, " (not enforced: link speed unknown)");
	}
	out_close_object(o);
}

const struct zecctl_object rate_object = {
	"rate", rate_parse, rate_run,
	"zecctl rate { set | del } NAME [ port DEV ] [ { PERCENT% | RATE } ] [ fallback RATE ] [ pps N ] [ burst SIZE ] [ mode { police | shape } ]",
};
