// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * zecctl stats -o prometheus without a kernel: the text of a device with
 * two ports and two nodes, checked line by line, and its command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prometheus.h"
#include "unit.h"

/* What zec_stats_get() and zec_device_get() would return, told apart. */
struct fixture {
	struct zec_stats dev_stats, port_stats, node_stats;
	struct zec_rate dev_rate, port_rate;
	struct zec_dev_config config, lag_config;
	struct zec_port up, down, up_counted, down_counted;
	struct zec_port *ports[2], *counted_ports[2];
	uint32_t serving[1];
	struct zec_node node0, node1, node0_counted, node1_counted;
	struct zec_node *nodes[2], *counted_nodes[2];
	struct zec_device dev, dev_counted, other;
	struct zec_device *devs[2], *stats[1];
};

static void fixture(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->dev_stats = (struct zec_stats){
		.tx_local_packets = 1000, .tx_local_bytes = 150000,
		.tx_cross_packets = 20, .tx_cross_bytes = 3000,
		.rx_packets = 500, .rx_bytes = 64000, .submitted_packets = 1025,
		.drop_no_port = 5, .failovers = 2,
		.rx_reflections = 7, .rx_flood_duplicates = 8,
		.announcements = 9,
	};
	f->port_stats = (struct zec_stats){
		.tx_local_packets = 1000, .tx_local_bytes = 150000,
		.rx_packets = 500, .rx_bytes = 64000, .failovers = 1,
		.drop_rate = 3, .rate_delayed = 4, .probes_sent = 40,
		.probe_replies = 39, .probe_downs = 1, .damp_holds = 0,
		.rx_reflections = 7,
	};
	f->node_stats = (struct zec_stats){
		.tx_local_packets = 1000, .submitted_packets = 1000,
		.failovers = UINT64_MAX,
	};
	f->dev_rate = (struct zec_rate){
		.sz = sizeof(f->dev_rate), .percent = 90, .bps = 1000000000,
		.mode = ZEC_RATE_MODE_SHAPE,
	};
	f->port_rate = f->dev_rate;
	f->port_rate.inherited = true;
	f->port_rate.active_bps = 9000000000ULL;
	f->port_rate.active_burst = 65536;
	f->config = (struct zec_dev_config){
		.mode = ZEC_MODE_INDEPENDENT, .mac_table_size = 4096,
	};
	f->lag_config.mode = ZEC_MODE_LAG;

	f->up = (struct zec_port){
		.ifindex = 2, .ifname = "n0p0", .node = 0, .detected_node = 0,
		.node_override = ZEC_NODE_NONE, .enabled = true,
		.state = ZEC_PORT_STATE_UP, .rate = &f->port_rate,
		.probing = true, .probe_reply_age_ms = 1500,
	};
	/* a name to escape; a reason bit of a later kernel */
	f->down = (struct zec_port){
		.ifindex = 3, .ifname = "a\"b\\c", .node = ZEC_NODE_NONE,
		.detected_node = ZEC_NODE_NONE,
		.node_override = ZEC_NODE_NONE, .state = ZEC_PORT_STATE_DOWN,
		.down_reasons = ZEC_PORT_DOWN_CARRIER | ZEC_PORT_DOWN_ADMIN |
				1U << 20,
		.probing = true, .probe_misses = 3,
		.probe_reply_age_ms = ZEC_PROBE_NO_REPLY,
	};
	f->up_counted = (struct zec_port){
		.ifindex = 2, .ifname = "n0p0", .stats = &f->port_stats,
	};
	/* the stats dump raced with the port's addition: no counters */
	f->down_counted = (struct zec_port){ .ifindex = 3, .ifname = "a\"b\\c" };
	f->ports[0] = &f->up;
	f->ports[1] = &f->down;
	f->counted_ports[0] = &f->up_counted;
	f->counted_ports[1] = &f->down_counted;

	f->serving[0] = 2;
	f->node0 = (struct zec_node){
		.id = 0, .select = ZEC_SELECT_LOCAL, .distance = 10,
		.n_ports = 1, .port_ifindex = f->serving,
	};
	f->node1 = (struct zec_node){ .id = 1, .select = ZEC_SELECT_NONE };
	f->node0_counted = (struct zec_node){ .id = 0, .stats = &f->node_stats };
	f->node1_counted = (struct zec_node){ .id = 1, .stats = &f->node_stats };
	f->nodes[0] = &f->node0;
	f->nodes[1] = &f->node1;
	f->counted_nodes[0] = &f->node0_counted;
	f->counted_nodes[1] = &f->node1_counted;

	f->dev = (struct zec_device){
		.sz = sizeof(f->dev), .ifindex = 5, .ifname = "zec0",
		.config = &f->config, .n_ports = 2, .ports = f->ports,
		.n_nodes = 2, .nodes = f->nodes, .rate = &f->dev_rate,
		.mac_count = 3,
	};
	f->dev_counted = (struct zec_device){
		.sz = sizeof(f->dev), .ifindex = 5, .ifname = "zec0",
		.config = &f->config, .stats = &f->dev_stats, .n_ports = 2,
		.ports = f->counted_ports, .n_nodes = 2,
		.nodes = f->counted_nodes,
	};
	/* created after the stats dump: state, no counters */
	f->other = (struct zec_device){
		.sz = sizeof(f->other), .ifindex = 6, .ifname = "zec1",
		.config = &f->lag_config,
	};
	f->devs[0] = &f->dev;
	f->devs[1] = &f->other;
	f->stats[0] = &f->dev_counted;
}

static char *render(const struct fixture *f)
{
	char *text = NULL;
	size_t len;
	FILE *fp = open_memstream(&text, &len);

	zecctl_prometheus(fp, f->devs, 2, f->stats, 1);
	fclose(fp);
	return text;
}

/* line, whole, is in text */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *at;

	for (at = text; (at = strstr(at, line)); at += len)
		if ((at == text || at[-1] == '\n') && at[len] == '\n')
			return true;
	return false;
}

/*
 * The exposition format's structure: each family's "# HELP" then "# TYPE"
 * (counter or gauge) once, then its samples, all of them, each named as
 * the family; counters end in _total. NULL or what is wrong.
 */
static const char *well_formed(char *text)
{
	static char seen[8192], why[160];
	char family[80] = "", key[83], type[16], *line, *save = NULL;
	size_t name_len;

	strcpy(seen, " ");
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "# HELP ", 7)) {
			name_len = strcspn(line + 7, " ");
			if (name_len >= sizeof(family) || !line[7 + name_len + 1])
				goto bad;
			snprintf(family, sizeof(family), "%.*s", (int)name_len,
				 line + 7);
			/* seen: " a b c ", every family so far */
			snprintf(key, sizeof(key), " %s ", family);
			if (strstr(seen, key))
				goto bad;
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			line = strtok_r(NULL, "\n", &save);
			if (!line || sscanf(line, "# TYPE %79s %15s", family,
					    type) != 2 ||
			    strncmp(line + 7, family, name_len) ||
			    line[7 + name_len] != ' ')
				goto bad;
			if (strcmp(type, "gauge") &&
			    (strcmp(type, "counter") || name_len < 6 ||
			     strcmp(family + name_len - 6, "_total")))
				goto bad;
			continue;
		}
		name_len = strcspn(line, "{ ");
		if (!family[0] || strlen(family) != name_len ||
		    strncmp(line, family, name_len) || line[name_len] != '{')
			goto bad;
	}
	return NULL;
bad:
	snprintf(why, sizeof(why), "bad line \"%s\"", line ? line : "(end)");
	return why;
}

/*
 * For run-tests.sh, which parses it with prometheus_client: the file
 * named by $ZEC_PROM_SAMPLE, if set.
 */
static bool save_sample(const char *text)
{
	const char *path = getenv("ZEC_PROM_SAMPLE");
	FILE *fp;

	if (!path)
		return true;
	fp = fopen(path, "w");
	if (!fp)
		return false;
	fputs(text, fp);
	return !fclose(fp);
}

static const char *test_text(void)
{
	struct fixture f;
	const char *why;
	char *text;

	fixture(&f);
	text = render(&f);
	CHECK(text);
	/* counters at the levels the kernel sends them, named as JSON's */
	CHECK(has_line(text, "# HELP zec_device_tx_local_packets_total Packets sent by a port on the node of the submitting CPU"));
	CHECK(has_line(text, "# TYPE zec_device_tx_local_packets_total counter"));
	CHECK(has_line(text, "zec_device_submitted_packets_total{device=\"zec0\"} 1025"));
	CHECK(has_line(text, "zec_device_failovers_total{device=\"zec0\"} 2"));
	CHECK(has_line(text, "zec_device_announcements_total{device=\"zec0\"} 9"));
	CHECK(has_line(text, "zec_port_rx_bytes_total{device=\"zec0\",port=\"n0p0\"} 64000"));
	CHECK(has_line(text, "zec_port_probe_replies_total{device=\"zec0\",port=\"n0p0\"} 39"));
	CHECK(has_line(text, "zec_port_rx_reflections_total{device=\"zec0\",port=\"n0p0\"} 7"));
	CHECK(has_line(text, "zec_node_failovers_total{device=\"zec0\",node=\"1\"} 18446744073709551615"));
	CHECK(!strstr(text, "zec_port_submitted_packets_total"));
	CHECK(!strstr(text, "zec_node_rx_packets_total"));
	CHECK(!strstr(text, "zec_device_probes_sent_total"));
	/* no counters where the stats dump had none: a"b\c, zec1 */
	CHECK(!strstr(text, "_total{device=\"zec0\",port=\"a"));
	CHECK(!strstr(text, "_total{device=\"zec1\""));
	/* state */
	CHECK(has_line(text, "zec_device_info{device=\"zec0\",mode=\"independent\"} 1"));
	CHECK(has_line(text, "zec_device_info{device=\"zec1\",mode=\"lag\"} 1"));
	CHECK(has_line(text, "zec_device_macs{device=\"zec0\"} 3"));
	CHECK(!strstr(text, "zec_device_macs{device=\"zec1\""));
	CHECK(has_line(text, "zec_device_rate_cap_info{device=\"zec0\",mode=\"shape\"} 1"));
	CHECK(has_line(text, "zec_device_rate_cap_percent{device=\"zec0\"} 90"));
	CHECK(has_line(text, "zec_device_rate_cap_bits_per_second{device=\"zec0\"} 1000000000"));
	CHECK(!strstr(text, "zec_device_rate_cap_packets_per_second"));
	CHECK(has_line(text, "zec_port_info{device=\"zec0\",port=\"n0p0\",node=\"0\",detected_node=\"0\"} 1"));
	CHECK(has_line(text, "zec_port_info{device=\"zec0\",port=\"a\\\"b\\\\c\",node=\"none\",detected_node=\"none\"} 1"));
	CHECK(has_line(text, "zec_port_up{device=\"zec0\",port=\"n0p0\"} 1"));
	CHECK(has_line(text, "zec_port_up{device=\"zec0\",port=\"a\\\"b\\\\c\"} 0"));
	CHECK(has_line(text, "zec_port_enabled{device=\"zec0\",port=\"a\\\"b\\\\c\"} 0"));
	CHECK(has_line(text, "zec_port_probe_misses{device=\"zec0\",port=\"a\\\"b\\\\c\"} 3"));
	CHECK(has_line(text, "zec_port_probe_reply_age_seconds{device=\"zec0\",port=\"n0p0\"} 1.500"));
	CHECK(has_line(text, "zec_port_probe_reply_age_seconds{device=\"zec0\",port=\"a\\\"b\\\\c\"} +Inf"));
	CHECK(has_line(text, "zec_port_down_reason{device=\"zec0\",port=\"n0p0\",reason=\"carrier\"} 0"));
	CHECK(has_line(text, "zec_port_down_reason{device=\"zec0\",port=\"a\\\"b\\\\c\",reason=\"carrier\"} 1"));
	CHECK(has_line(text, "zec_port_down_reason{device=\"zec0\",port=\"a\\\"b\\\\c\",reason=\"admin\"} 1"));
	CHECK(has_line(text, "zec_port_down_reason{device=\"zec0\",port=\"a\\\"b\\\\c\",reason=\"damped\"} 0"));
	CHECK(has_line(text, "zec_port_down_reason{device=\"zec0\",port=\"a\\\"b\\\\c\",reason=\"unknown\"} 1"));
	CHECK(!strstr(text, "port=\"n0p0\",reason=\"unknown\""));
	CHECK(has_line(text, "zec_port_rate_cap_info{device=\"zec0\",port=\"n0p0\",mode=\"shape\",inherited=\"true\"} 1"));
	CHECK(has_line(text, "zec_port_rate_cap_bits_per_second{device=\"zec0\",port=\"n0p0\"} 9000000000"));
	CHECK(has_line(text, "zec_port_rate_cap_burst_bytes{device=\"zec0\",port=\"n0p0\"} 65536"));
	CHECK(!strstr(text, "zec_port_rate_cap_info{device=\"zec0\",port=\"a"));
	CHECK(has_line(text, "zec_node_serving_ports{device=\"zec0\",node=\"1\"} 0"));
	CHECK(has_line(text, "zec_node_select{device=\"zec0\",node=\"0\",select=\"local\"} 1"));
	CHECK(has_line(text, "zec_node_select{device=\"zec0\",node=\"0\",select=\"none\"} 0"));
	CHECK(has_line(text, "zec_node_select{device=\"zec0\",node=\"1\",select=\"none\"} 1"));
	CHECK(save_sample(text));
	why = well_formed(text);
	free(text);
	return why;
}

/* No device: nothing at all, not even a family's header. */
static const char *test_empty(void)
{
	char *text = NULL;
	size_t len;
	FILE *fp = open_memstream(&text, &len);

	zecctl_prometheus(fp, NULL, 0, NULL, 0);
	fclose(fp);
	CHECK(text && !strcmp(text, ""));
	free(text);
	return NULL;
}

/* The checker itself: a family split in two, a counter without _total. */
static const char *test_checker(void)
{
	char split[] = "# HELP a_total x\n# TYPE a_total counter\n"
		       "a_total{d=\"0\"} 1\n# HELP b y\n# TYPE b gauge\n"
		       "b{d=\"0\"} 1\n# HELP a_total x\n"
		       "# TYPE a_total counter\na_total{d=\"1\"} 1\n";
	char untotal[] = "# HELP a x\n# TYPE a counter\na{d=\"0\"} 1\n";
	char stray[] = "# HELP a x\n# TYPE a gauge\nb{d=\"0\"} 1\n";

	CHECK(well_formed(split));
	CHECK(well_formed(untotal));
	CHECK(well_formed(stray));
	return NULL;
}

static const char *test_parse(void)
{
	char *ok[] = { "zecctl", "stats", "-o", "prometheus", "zec0", NULL };
	char *all[] = { "zecctl", "stats", "-o", "prometheus", NULL };
	char *help[] = { "zecctl", "stats", "-o", "prometheus", "help", NULL };
	char *json[] = { "zecctl", "-j", "stats", "-o", "prometheus", NULL };
	char *format[] = { "zecctl", "stats", "-o", "json", NULL };
	char *none[] = { "zecctl", "stats", "-o", NULL };
	char *extra[] = { "zecctl", "stats", "-o", "prometheus", "zec0", "x",
			  NULL };
	char *first[] = { "zecctl", "-o", "prometheus", "stats", NULL };
	char *show[] = { "zecctl", "-o", "prometheus", "show", NULL };
	struct zecctl_req req;

	CHECK(zecctl_parse(5, ok, &req) == 0);
	CHECK(req.cmd == ZECCTL_STATS_PROMETHEUS && !strcmp(req.dev, "zec0"));
	CHECK(zecctl_parse(4, all, &req) == 0);
	CHECK(req.cmd == ZECCTL_STATS_PROMETHEUS && !req.dev);
	CHECK(zecctl_parse(5, help, &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(zecctl_parse(5, json, &req) == -EINVAL);
	CHECK(strstr(req.error, "\"-j\""));
	CHECK(zecctl_parse(4, format, &req) == -EINVAL);
	CHECK(strstr(req.error, "\"json\""));
	CHECK(zecctl_parse(3, none, &req) == -EINVAL);
	CHECK(strstr(req.error, "\"-o\" needs a format"));
	CHECK(zecctl_parse(6, extra, &req) == -EINVAL);
	CHECK(strstr(req.error, "\"x\""));
	CHECK(zecctl_parse(4, first, &req) == 0);
	CHECK(req.cmd == ZECCTL_STATS_PROMETHEUS && !req.dev);
	CHECK(zecctl_parse(4, show, &req) == -EINVAL);
	CHECK(strstr(req.error, "\"stats\" only"));
	return NULL;
}

const struct unit_test prometheus_tests[] = {
	{ "prometheus: counters and state of a device, two ports, two nodes",
	  test_text },
	{ "prometheus: no device, no output", test_empty },
	{ "prometheus: the format check refuses a split family, a counter without _total, a stray sample",
	  test_checker },
	{ "prometheus: zecctl stats -o prometheus [NAME], refused with -j or another format",
	  test_parse },
	{ NULL, NULL },
};
