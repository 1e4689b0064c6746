// SPDX-License-Identifier: GPL-2.0-only
/*
 * iplink_zec.c	zec (NUMA-aware pseudo-bond) device and port support
 *
 * Builds in iproute2's ip/ (add iplink_zec.o to IPOBJ, and
 * include/uapi/linux/zec.h to its uapi headers), or out of tree as a
 * plugin that a stock ip loads from $IP_LIB_DIR (see README.md).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/zec.h>

#include "utils.h"
#include "ip_common.h"
#include "json_print.h"

static const char *const mode_tbl[] = {
	[ZEC_MODE_LAG]		= "lag",
	[ZEC_MODE_INDEPENDENT]	= "independent",
};

static const char *const down_tbl[] = {
	"carrier", "admin", "up_delay", "probe", "damped",
};

static void print_explain(FILE *f)
{
	fprintf(f,
		"Usage: ... zec [ mode { lag | independent } ] [ updelay MS ]\n"
		"               [ garp_count COUNT ] [ rx_port { DEV | auto } ]\n"
		"               [ mac_table_size SIZE ] [ mac_ageing MS ]\n"
		"               [ announce_count COUNT ] [ announce_interval MS ]\n"
		"               [ announce_rate PPS ]\n"
		"\n"
		"Ports are added with \"ip link set DEV master ZEC\"; their node\n"
		"overrides, rate caps and probes are set with zecctl.\n");
}

static void explain(void)
{
	print_explain(stderr);
}

static int zec_mode(const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_tbl); i++)
		if (strcmp(arg, mode_tbl[i]) == 0)
			return i;
	return -1;
}

/* The u32 options, each an IFLA_ZEC_* of its own. */
static const struct {
	const char *name;
	int type;
} u32_opts[] = {
	{ "updelay",		IFLA_ZEC_UP_DELAY_MS },
	{ "garp_count",		IFLA_ZEC_GARP_COUNT },
	{ "mac_table_size",	IFLA_ZEC_MAC_TABLE_SIZE },
	{ "mac_ageing",		IFLA_ZEC_MAC_AGEING_MS },
	{ "announce_count",	IFLA_ZEC_ANNOUNCE_COUNT },
	{ "announce_interval",	IFLA_ZEC_ANNOUNCE_INTERVAL_MS },
	{ "announce_rate",	IFLA_ZEC_ANNOUNCE_RATE },
};

static int zec_parse_opt(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n)
{
	unsigned int i;
	__u32 val;
	int mode;

	while (argc > 0) {
		for (i = 0; i < ARRAY_SIZE(u32_opts); i++)
			if (strcmp(*argv, u32_opts[i].name) == 0)
				break;
		if (i < ARRAY_SIZE(u32_opts)) {
			NEXT_ARG();
			if (get_u32(&val, *argv, 0))
				invarg("invalid value", *argv);
			addattr32(n, 1024, u32_opts[i].type, val);
		} else if (strcmp(*argv, "mode") == 0) {
			NEXT_ARG();
			mode = zec_mode(*argv);
			if (mode < 0)
				invarg("invalid mode", *argv);
			addattr32(n, 1024, IFLA_ZEC_MODE, mode);
		} else if (strcmp(*argv, "rx_port") == 0) {
			NEXT_ARG();
			val = 0;
			if (strcmp(*argv, "auto") != 0) {
				val = ll_name_to_index(*argv);
				if (!val)
					return nodev(*argv);
			}
			addattr32(n, 1024, IFLA_ZEC_RX_PORT, val);
		} else {
			if (strcmp(*argv, "help") != 0)
				fprintf(stderr, "zec: unknown option \"%s\"?\n",
					*argv);
			explain();
			return -1;
		}
		argc--, argv++;
	}
	return 0;
}

/* A port by name, or "auto"/"none" for 0. */
static void print_port(struct rtattr *attr, const char *key,
		       const char *fmt, const char *none)
{
	__u32 ifindex;

	if (!attr)
		return;
	ifindex = rta_getattr_u32(attr);
	print_string(PRINT_ANY, key, fmt,
		     ifindex ? ll_index_to_name(ifindex) : none);
}

static void zec_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	unsigned int i;
	__u32 mode;

	if (!tb)
		return;
	if (tb[IFLA_ZEC_MODE]) {
		mode = rta_getattr_u32(tb[IFLA_ZEC_MODE]);
		print_string(PRINT_ANY, "mode", "mode %s ",
			     mode < ARRAY_SIZE(mode_tbl) ? mode_tbl[mode] :
			     "unknown");
	}
	for (i = 0; i < ARRAY_SIZE(u32_opts); i++) {
		char fmt[32];

		if (!tb[u32_opts[i].type])
			continue;
		snprintf(fmt, sizeof(fmt), "%s %%u ", u32_opts[i].name);
		print_uint(PRINT_ANY, u32_opts[i].name, fmt,
			   rta_getattr_u32(tb[u32_opts[i].type]));
	}
	print_port(tb[IFLA_ZEC_RX_PORT], "rx_port", "rx_port %s ", "auto");
	print_port(tb[IFLA_ZEC_RX_PORT_ACTIVE], "rx_port_active",
		   "rx_port_active %s ", "none");
}

static void zec_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	print_explain(f);
}

struct link_util zec_link_util = {
	.id		= "zec",
	.maxattr	= IFLA_ZEC_MAX,
	.parse_opt	= zec_parse_opt,
	.print_opt	= zec_print_opt,
	.print_help	= zec_print_help,
};

/* A node id, or "none" (ZEC_NODE_NONE). */
static void print_node(struct rtattr *attr, const char *key)
{
	char fmt[32];
	__u32 node;

	if (!attr)
		return;
	node = rta_getattr_u32(attr);
	if (node == ZEC_NODE_NONE) {
		snprintf(fmt, sizeof(fmt), "%s %%s ", key);
		print_string(PRINT_ANY, key, fmt, "none");
	} else {
		snprintf(fmt, sizeof(fmt), "%s %%u ", key);
		print_uint(PRINT_ANY, key, fmt, node);
	}
}

static void zec_slave_print_opt(struct link_util *lu, FILE *f,
				struct rtattr *tb[])
{
	unsigned int i;
	__u32 v;

	if (!tb)
		return;
	print_node(tb[IFLA_ZEC_PORT_NODE], "node");
	print_node(tb[IFLA_ZEC_PORT_DETECTED_NODE], "detected_node");
	print_node(tb[IFLA_ZEC_PORT_NODE_OVERRIDE], "node_override");
	if (tb[IFLA_ZEC_PORT_ENABLED])
		print_bool(PRINT_ANY, "enabled", "enabled %s ",
			   rta_getattr_u8(tb[IFLA_ZEC_PORT_ENABLED]));
	if (tb[IFLA_ZEC_PORT_STATE])
		print_string(PRINT_ANY, "state", "state %s ",
			     rta_getattr_u32(tb[IFLA_ZEC_PORT_STATE]) ==
			     ZEC_PORT_STATE_UP ? "up" : "down");
	if (tb[IFLA_ZEC_PORT_DOWN_REASONS]) {
		v = rta_getattr_u32(tb[IFLA_ZEC_PORT_DOWN_REASONS]);
		open_json_array(PRINT_JSON, "down_reasons");
		if (v)
			print_string(PRINT_FP, NULL, "%s", "down_reasons ");
		for (i = 0; i < ARRAY_SIZE(down_tbl); i++)
			if (v & (1U << i))
				print_string(PRINT_ANY, NULL, "%s ",
					     down_tbl[i]);
		close_json_array(PRINT_JSON, NULL);
	}
	if (tb[IFLA_ZEC_PORT_SPEED_MBPS]) {
		v = rta_getattr_u32(tb[IFLA_ZEC_PORT_SPEED_MBPS]);
		if (v != ZEC_SPEED_UNKNOWN)
			print_uint(PRINT_ANY, "speed_mbps", "speed %uMb/s ", v);
	}
}

struct link_util zec_slave_link_util = {
	.id		= "zec_slave",
	.maxattr	= IFLA_ZEC_PORT_MAX,
	.print_opt	= zec_slave_print_opt,
};
