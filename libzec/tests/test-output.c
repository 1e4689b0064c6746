// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * zecctl's output writer, in JSON (compact and pretty) and text, and the
 * formatting helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "zecctl.h"
#include "unit.h"

static char *captured;
static size_t captured_len;

static struct out *capture(bool json, bool pretty)
{
	static struct out o;

	free(captured);
	out_init(&o, open_memstream(&captured, &captured_len), json, pretty);
	return &o;
}

static const char *output(struct out *o)
{
	fclose(o->fp);
	return captured;
}

/* One description of output, printed in each mode by the tests below. */
static void sample(struct out *o)
{
	out_open_object(o, NULL);
	out_string(o, "name", "name %s", "a\"b\\c\nd\te\x01");
	out_uint(o, "big", " big %llu", UINT64_MAX);
	out_bool(o, "on", " on %s", true);
	out_null(o, "none", NULL);
	out_uint(o, "json_only", NULL, 0);
	out_open_array(o, "list");
	out_uint(o, NULL, " [%llu", 1);
	out_uint(o, NULL, ",%llu]", 2);
	out_close_array(o);
	out_open_object(o, "empty");
	out_close_object(o);
	out_text(o, " text only\n");
	out_close_object(o);
}

static const char *test_json_compact(void)
{
	struct out *o = capture(true, false);

	sample(o);
	CHECK(!strcmp(output(o),
		      "{\"name\":\"a\\\"b\\\\c\\nd\\te\\u0001\","
		      "\"big\":18446744073709551615,\"on\":true,\"none\":null,"
		      "\"json_only\":0,\"list\":[1,2],\"empty\":{}}\n"));
	return NULL;
}

static const char *test_json_pretty(void)
{
	struct out *o = capture(true, true);

	out_open_array(o, NULL);
	out_open_object(o, NULL);
	out_uint(o, "a", NULL, 1);
	out_open_array(o, "b");
	out_string(o, NULL, NULL, "x");
	out_close_array(o);
	out_close_object(o);
	out_open_array(o, NULL);
	out_close_array(o);
	out_close_array(o);
	CHECK(!strcmp(output(o),
		      "[\n  {\n    \"a\": 1,\n    \"b\": [\n      \"x\"\n    ]\n"
		      "  },\n  []\n]\n"));
	return NULL;
}

static const char *test_text(void)
{
	struct out *o = capture(false, false);

	sample(o);
	CHECK(!strcmp(output(o), "name a\"b\\c\nd\te\x01 big "
			 "18446744073709551615 on on [1,2] text only\n"));
	return NULL;
}

static const char *test_serving(void)
{
	uint32_t ports[] = { 11, 99 };
	struct zec_port port = { .ifindex = 11, .ifname = "eth1" };
	struct zec_port *ports_of_dev[] = { &port };
	struct zec_node node = {
		.id = 1, .select = ZEC_SELECT_NEAREST, .distance = 21,
		.n_ports = 2, .port_ifindex = ports,
	};
	struct zec_device dev = { .n_ports = 1, .ports = ports_of_dev };
	struct out *o = capture(true, false);

	out_open_object(o, NULL);
	zecctl_print_serving(o, &dev, &node);
	out_close_object(o);
	CHECK(!strcmp(output(o), "{\"ports\":[\"eth1\",\"ifindex 99\"],"
			 "\"select\":\"nearest\",\"distance\":21}\n"));
	o = capture(false, false);
	zecctl_print_serving(o, &dev, &node);
	CHECK(!strcmp(output(o), "eth1,ifindex 99 (nearest, distance 21)"));
	node.n_ports = 0;
	node.select = ZEC_SELECT_NONE;
	o = capture(false, false);
	zecctl_print_serving(o, &dev, &node);
	CHECK(!strcmp(output(o), "no port (none)"));
	return NULL;
}

static const char *test_cpulist(void)
{
	static const unsigned int cpus[] = { 0, 1, 2, 3, 8, 10, 11 };
	char buf[32];

	zecctl_cpulist(cpus, 7, buf, sizeof(buf));
	CHECK(!strcmp(buf, "0-3,8,10-11"));
	zecctl_cpulist(cpus, 0, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""));
	zecctl_cpulist(cpus + 4, 1, buf, sizeof(buf));
	CHECK(!strcmp(buf, "8"));
	zecctl_cpulist(cpus, 7, buf, 8);
	CHECK(!strcmp(buf, "0-3,..."));
	return NULL;
}

static const char *test_names(void)
{
	char buf[64];
	uint32_t mode;

	zecctl_down_reasons(ZEC_PORT_DOWN_CARRIER | ZEC_PORT_DOWN_UP_DELAY,
			    buf, sizeof(buf));
	CHECK(!strcmp(buf, "carrier,up-delay"));
	zecctl_down_reasons(1U << 20, buf, sizeof(buf));
	CHECK(!strcmp(buf, "unknown"));
	zecctl_down_reasons(0, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""));
	CHECK(!strcmp(zecctl_select_name(ZEC_SELECT_UNKNOWN), "unknown-node"));
	CHECK(!strcmp(zecctl_reason_name(ZEC_REASON_PROBE), "probe"));
	CHECK(!strcmp(zecctl_reason_name(1000), "unknown"));
	CHECK(zecctl_mode_parse("independent", &mode) == 0);
	CHECK(mode == ZEC_MODE_INDEPENDENT);
	CHECK(!strcmp(zecctl_mode_name(mode), "independent"));
	CHECK(zecctl_mode_parse("lag ", &mode) != 0);
	return NULL;
}

const struct unit_test output_tests[] = {
	{ "output: compact JSON escapes, nests and prints numbers", test_json_compact },
	{ "output: pretty JSON", test_json_pretty },
	{ "output: text mode prints only text formats", test_text },
	{ "output: serving ports of a node", test_serving },
	{ "output: cpu lists", test_cpulist },
	{ "output: enum and bit names", test_names },
	{ NULL, NULL },
};
