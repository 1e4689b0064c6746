// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * zecctl's output writer, in JSON (compact and pretty) and text, and the
 * formatting helpers.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../internal.h"
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

/* Two MACs, one behind a port of the device, one of no node nor port. */
static const char *test_macs(void)
{
	struct zec_mac macs[] = {
		{ { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef }, 1, 11, 1500 },
		{ { 0x02, 0, 0, 0, 0, 0x01 }, ZEC_NODE_NONE, 0, 0 },
	};
	struct zec_mac_list list = { .ifindex = 5, .n = 2, .macs = macs };
	struct zec_port port = { .ifindex = 11, .ifname = "eth1" };
	struct zec_port *ports[] = { &port };
	struct zec_dev_config config = { .mode = ZEC_MODE_INDEPENDENT };
	struct zec_device dev = {
		.ifindex = 5, .ifname = "zec0", .config = &config,
		.n_ports = 1, .ports = ports,
	};
	struct out *o = capture(true, false);

	zecctl_print_macs(o, &dev, &list);
	CHECK(!strcmp(output(o), "{\"ifname\":\"zec0\",\"ifindex\":5,"
		      "\"mode\":\"independent\",\"mac_count\":2,\"macs\":["
		      "{\"mac\":\"52:54:00:ab:cd:ef\",\"node\":1,"
		      "\"port\":\"eth1\",\"port_ifindex\":11,\"age_ms\":1500},"
		      "{\"mac\":\"02:00:00:00:00:01\",\"node\":null,"
		      "\"port\":null,\"port_ifindex\":0,\"age_ms\":0}]}\n"));
	o = capture(false, false);
	zecctl_print_macs(o, &dev, &list);
	CHECK(!strcmp(output(o), "zec0: mode independent macs 2\n"
		      "    52:54:00:ab:cd:ef node 1 port eth1 age 1500ms\n"
		      "    02:00:00:00:00:01 node none port none age 0ms\n"));
	list.n = 0;
	config.mode = ZEC_MODE_LAG;
	o = capture(false, false);
	zecctl_print_macs(o, &dev, &list);
	CHECK(!strcmp(output(o), "zec0: mode lag macs 0\n"
		      "    none: learned in independent mode only\n"));
	return NULL;
}

/* Probes, and the rounds without a source address (probes at boot). */
static const char *test_dev_probe(void)
{
	struct zec_probe_target target = {
		.family = AF_INET, .addr.v4 = { 192, 0, 2, 1 },
	};
	struct zec_probe_config probe = {
		.sz = sizeof(probe), .n_targets = 1, .targets = &target,
		.interval_ms = 100, .miss_count = 3, .recover_count = 1,
	};
	struct zec_device dev = {
		.probe = &probe, .probe_rounds_no_source = 5,
	};
	struct out *o = capture(false, false);

	zecctl_print_dev_probe(o, &dev);
	CHECK(!strcmp(output(o), " probe target 192.0.2.1 interval 100ms miss 3"
		      " recover 1 (5 rounds without a source address)"));
	o = capture(true, false);
	out_open_object(o, NULL);
	zecctl_print_dev_probe(o, &dev);
	out_close_object(o);
	CHECK(!strcmp(output(o), "{\"probe\":{\"targets\":[\"192.0.2.1\"],"
		      "\"interval_ms\":100,\"miss\":3,\"recover\":1},"
		      "\"probe_rounds_no_source\":5}\n"));
	/* every round sent: nothing to say */
	dev.probe_rounds_no_source = 0;
	o = capture(false, false);
	zecctl_print_dev_probe(o, &dev);
	CHECK(!strcmp(output(o), " probe target 192.0.2.1 interval 100ms miss 3"
		      " recover 1"));
	return NULL;
}

/* Independent mode's settings, as "dev set" takes them; ifindex 1 is lo. */
static const char *test_rx_config(void)
{
	struct zec_dev_config config = {
		.mode = ZEC_MODE_INDEPENDENT, .rx_port_ifindex = 0,
		.mac_table_size = 4096, .mac_ageing_ms = 300000,
		.announce_count = 3, .announce_interval_ms = 100,
		.announce_rate = 10000,
	};
	struct zec_device dev = {
		.config = &config, .rx_port_active = 1, .mac_count = 7,
	};
	struct out *o = capture(false, false);

	zecctl_print_rx_config(o, &config, &dev);
	CHECK(!strcmp(output(o), " rxport auto (active lo) macs 7 mac-table 4096"
		      " mac-ageing 300000ms announce 3 announce-interval 100ms"
		      " announce-rate 10000"));
	o = capture(true, false);
	out_open_object(o, NULL);
	zecctl_print_rx_config(o, &config, &dev);
	out_close_object(o);
	CHECK(!strcmp(output(o), "{\"rx_port\":null,\"rx_port_ifindex\":0,"
		      "\"rx_port_active\":\"lo\",\"rx_port_active_ifindex\":1,"
		      "\"mac_count\":7,\"mac_table_size\":4096,"
		      "\"mac_ageing_ms\":300000,\"announce_count\":3,"
		      "\"announce_interval_ms\":100,\"announce_rate\":10000}\n"));
	/* a configured port; lag mode; no device (a config event) */
	config.rx_port_ifindex = 1;
	config.mode = ZEC_MODE_LAG;
	o = capture(false, false);
	zecctl_print_rx_config(o, &config, &dev);
	CHECK(!strncmp(output(o), " rxport lo (lag: every port) macs 7 ", 36));
	o = capture(false, false);
	zecctl_print_rx_config(o, &config, NULL);
	CHECK(!strncmp(output(o), " rxport lo mac-table 4096 ", 26));
	/* a kernel without them: nothing */
	config.mac_table_size = 0;
	o = capture(true, false);
	zecctl_print_rx_config(o, &config, &dev);
	CHECK(!strcmp(output(o), ""));
	return NULL;
}

/* The receive port event of zecctl monitor; a type of a later libzec. */
static const char *test_rx_port_event(void)
{
	struct zec_event ev = {
		.sz = sizeof(ev), .type = ZEC_EVENT_RX_PORT, .ifindex = 5,
		.ifname = "zec0", .generation = 12, .reason = ZEC_REASON_CARRIER,
		.from_ifindex = 1, .to_ifindex = 0, .rx_port_active = 0,
		.timestamp_ns = 123,
	};
	struct out *o = capture(false, false);

	zecctl_print_event(o, &ev, NULL);
	CHECK(!strcmp(output(o), "rx-port zec0 generation 12 from lo to none"
		      " reason carrier at 123 ns\n"));
	o = capture(true, false);
	zecctl_print_event(o, &ev, NULL);
	CHECK(!strcmp(output(o), "{\"event\":\"rx-port\",\"ifname\":\"zec0\","
		      "\"ifindex\":5,\"generation\":12,\"from\":\"lo\","
		      "\"to\":null,\"reason\":\"carrier\",\"timestamp_ns\":123}\n"));
	/* monitor -t */
	o = capture(false, false);
	zecctl_print_event(o, &ev, "2026-12-05T08:23:08.000001+0000");
	CHECK(!strcmp(output(o), "[2026-12-05T08:23:08.000001+0000] rx-port zec0 generation 12 from lo to none"
		      " reason carrier at 123 ns\n"));
	o = capture(true, false);
	zecctl_print_event(o, &ev, "2026-12-05T08:23:08.000001+0000");
	CHECK(strstr(output(o), "{\"time\":\"2026-12-05T08:23:08.000001+0000\",\"event\":\"rx-port\",") == captured);
	ev.type = ZEC_EVENT_RX_PORT + 1;
	o = capture(true, false);
	zecctl_print_event(o, &ev, NULL);
	CHECK(!strcmp(output(o), ""));
	return NULL;
}

/* monitor -t's wall clock, in the local time zone. */
static const char *test_format_time(void)
{
	struct timespec ts = { .tv_sec = 1796459588, .tv_nsec = 123456789 };
	char *tz = getenv("TZ"), *saved = tz ? strdup(tz) : NULL, buf[48];

	setenv("TZ", "UTC", 1);
	tzset();
	zecctl_format_time(&ts, buf, sizeof(buf));
	CHECK(!strcmp(buf, "2026-12-05T08:33:08.123456+0000"));
	setenv("TZ", "CET-1", 1);
	tzset();
	zecctl_format_time(&ts, buf, sizeof(buf));
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	tzset();
	CHECK(!strcmp(buf, "2026-12-05T09:33:08.123456+0100"));
	return NULL;
}

const struct unit_test output_tests[] = {
	{ "output: compact JSON escapes, nests and prints numbers", test_json_compact },
	{ "output: pretty JSON", test_json_pretty },
	{ "output: text mode prints only text formats", test_text },
	{ "output: serving ports of a node", test_serving },
	{ "output: cpu lists", test_cpulist },
	{ "output: enum and bit names", test_names },
	{ "output: zecctl macs, JSON and text", test_macs },
	{ "output: probes, rounds without a source address",
	  test_dev_probe },
	{ "output: receive port, MAC table and announcement settings",
	  test_rx_config },
	{ "output: monitor's receive port event, -t; unknown types skipped",
	  test_rx_port_event },
	{ "output: monitor -t's wall clock", test_format_time },
	{ NULL, NULL },
};
