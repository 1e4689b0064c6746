// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * zecctl apply's file (tools/zecctl/config.c): what it reads, the line
 * and path of what it refuses, and the changes it plans from a running
 * state; dump-config's text of a state planned against that state is no
 * change.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "config.h"
#include "unit.h"

static char why[512];

/* cfg_read() of text refused with an error starting with want. */
static bool refused(const char *text, const char *want)
{
	struct zecctl_config *cfg = NULL;
	struct zecctl_req req;

	memset(&req, 0, sizeof(req));
	if (!cfg_read(&req, "t.json", text, &cfg)) {
		cfg_free(cfg);
		snprintf(why, sizeof(why), "accepted: %s", text);
		return false;
	}
	if (strncmp(req.error, want, strlen(want))) {
		snprintf(why, sizeof(why), "said \"%s\", want \"%s\"",
			 req.error, want);
		return false;
	}
	return true;
}

#define REFUSED(text, want) do { \
	if (!refused(text, want)) \
		return why; \
} while (0)

static const char *test_config_refused(void)
{
	REFUSED("{\"devices\": [\n{\"name\": \"zec0\",\n \"updelay\": 5,,\n}]}",
		"t.json:3: JSON syntax error: ");
	REFUSED("{\"devices\": [\n{\"name\": \"zec0\"\n",
		"t.json:3: JSON syntax error: unexpected end of file");
	REFUSED("{\"devices\": []}\n{}\n",
		"t.json:2: JSON syntax error: unexpected character");
	REFUSED("{\"devices\": [\n  {\n    \"name\": \"zec0\",\n    \"ports\": [\n"
		"      {\"name\": \"eth1\"},\n      {\"name\": \"eth2\",\n"
		"       \"colour\": \"red\"}\n    ]\n  }\n]}\n",
		"t.json:7: devices[0].ports[1].colour: unknown key");
	REFUSED("{\"devices\": [\n {\"name\": \"zec0\"},\n {\"name\": \"zec1\",\n"
		"  \"updelay\": \"2.5ms\"}]}",
		"t.json:4: devices[1].updelay: invalid updelay \"2.5ms\": not a whole number of milliseconds");
	REFUSED("{\"devices\": [{\"name\": \"zec0\", \"ports\": [\n"
		"{\"name\": \"eth1\", \"node\": \"x\"}]}]}",
		"t.json:2: devices[0].ports[0].node: invalid argument \"x\"");
	REFUSED("{\"devices\": [{\"name\": \"zec0\", \"ports\": [\n"
		"{\"name\": \"eth1\", \"node\": -1}]}]}",
		"t.json:2: devices[0].ports[0].node: invalid argument \"-1\"");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"garp\": 1.5}]}",
		"t.json:2: devices[0].garp: expected a string or a whole number");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"mode\": \"help\"}]}",
		"t.json:2: devices[0].mode: \"help\" is no value");
	REFUSED("{\"devices\": [{\"name\": \"zec0\"},\n {\"name\": \"zec0\"}]}",
		"t.json:2: devices[1]: device \"zec0\" listed twice");
	REFUSED("{\"devices\": [{\"name\": \"zec0\", \"ports\": [{\"name\": \"a\"}]},\n"
		" {\"name\": \"zec1\", \"ports\": [{\"name\": \"a\"}]}]}",
		"t.json:2: devices[1].ports[0]: port \"a\" is also listed under zec0");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"rate\": {\"rate\": \"1gbit\","
		" \"fallback\": \"2gbit\"}}]}",
		"t.json:2: devices[0].rate: \"fallback\" goes with a percentage only");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"probe\": {\"targets\":"
		" [\"10.0.0.1\", \"nowhere\"], \"interval\": \"1s\"}}]}",
		"t.json:2: devices[0].probe: invalid target \"nowhere\"");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"probe\": {\"targets\":"
		" [\"10.0.0.1\"]}}]}",
		"t.json:2: devices[0].probe: \"probe set\" needs \"interval TIME\"");
	REFUSED("{\"devices\": [{\"updelay\": 1}]}",
		"t.json:1: devices[0]: missing \"name\"");
	REFUSED("{\"devices\": [{\"name\": \"a-name-too-long-for-a-netdev\"}]}",
		"t.json:1: devices[0].name: invalid device name");
	REFUSED("{\"device\": []}", "t.json:1: device: unknown key: expected devices");
	REFUSED("[]", "t.json:1: expected an object");
	/* json-c would keep the last: as the command line, refused */
	REFUSED("{\"devices\": [{\"name\": \"zec0\", \"ports\": [{\"name\": \"a\"},\n"
		" {\"name\": \"b\", \"node\": 1,\n  \"node\": 2}]}]}",
		"t.json:3: devices[0].ports[1].node: given twice: give each key once");
	REFUSED("{\"devices\": [{\"name\": \"zec0\"}],\n \"devices\": []}",
		"t.json:2: devices: given twice");
	/* C would take "lo\u0000junk" as "lo" */
	REFUSED("{\"devices\": [{\"name\": \"zec0\", \"ports\": [\n"
		"{\"name\": \"lo\\u0000junk\"}]}]}",
		"t.json:2: devices[0].ports[0].name: a string with a NUL character");
	REFUSED("{\"devices\": [{\"name\": \"zec0\",\n \"updelay\": \"2s\\u0000x\"}]}",
		"t.json:2: devices[0].updelay: a string with a NUL character");
	return NULL;
}

static const char full[] =
	"{\"devices\": [{\n"
	"  \"name\": \"zec0\", \"mode\": \"independent\", \"updelay\": \"2s\",\n"
	"  \"garp\": 3, \"rxport\": \"eth1\", \"mac-table\": \"8192\",\n"
	"  \"mac-ageing\": \"5min\",\n"
	"  \"rate\": {\"rate\": \"90%\", \"fallback\": \"9gbit\", \"burst\": \"64k\"},\n"
	"  \"probe\": {\"targets\": [\"10.0.0.1\", \"fe80::1\"], \"interval\": \"100ms\",\n"
	"            \"recover\": 2},\n"
	"  \"ports\": [{\"name\": \"eth1\", \"node\": 1, \"enable\": false,\n"
	"              \"rate\": {\"pps\": \"100k\", \"mode\": \"shape\"}},\n"
	"            {\"name\": \"eth2\", \"node\": \"auto\", \"rate\": null}]\n"
	"}]}\n";

static const char *test_config_values(void)
{
	struct zecctl_config *cfg;
	struct zecctl_req req;
	const struct cfg_dev *d;
	const struct cfg_port *p;

	memset(&req, 0, sizeof(req));
	/* 5min is no time zecctl takes */
	CHECK(cfg_read(&req, "t.json", full, &cfg) == -EINVAL);
	CHECK(!strncmp(req.error, "t.json:4: devices[0].mac-ageing: invalid mac-ageing \"5min\"",
		       58));
	{
		char text[sizeof(full)];
		char *at;

		memcpy(text, full, sizeof(full));
		at = strstr(text, "5min");
		memcpy(at, "300s", 4);
		CHECK(cfg_read(&req, "t.json", text, &cfg) == 0);
	}
	CHECK(cfg->n_devs == 1);
	d = &cfg->devs[0];
	CHECK(!strcmp(d->name, "zec0"));
	CHECK(d->config.set == (ZEC_DEV_SET_MODE | ZEC_DEV_SET_UP_DELAY |
				ZEC_DEV_SET_GARP | ZEC_DEV_SET_RX_PORT |
				ZEC_DEV_SET_MAC_TABLE_SIZE |
				ZEC_DEV_SET_MAC_AGEING));
	CHECK(d->config.mode == ZEC_MODE_INDEPENDENT);
	CHECK(d->config.up_delay_ms == 2000 && d->config.garp_count == 3);
	CHECK(!strcmp(d->rx_port, "eth1"));
	CHECK(d->config.mac_table_size == 8192);
	CHECK(d->config.mac_ageing_ms == 300000);
	CHECK(d->rate.state == CFG_SET && d->rate.rate.percent == 90);
	CHECK(d->rate.rate.bps == 9000000000ULL);
	CHECK(d->rate.rate.burst == 65536);
	CHECK(d->probe.state == CFG_SET);
	CHECK(d->probe.config.n_targets == 2);
	CHECK(d->probe.targets[1].family == AF_INET6);
	CHECK(d->probe.config.interval_ms == 100);
	/* a count left out is the kernel's default, as the kernel reports */
	CHECK(d->probe.config.miss_count == ZEC_PROBE_DEFAULT_MISS_COUNT);
	CHECK(d->probe.config.recover_count == 2);
	CHECK(d->ports_given && d->n_ports == 2);
	p = &d->ports[0];
	CHECK(!strcmp(p->name, "eth1"));
	CHECK(p->config.set == (ZEC_PORT_SET_NODE | ZEC_PORT_SET_ENABLED));
	CHECK(p->config.node == 1 && !p->config.enabled);
	CHECK(p->rate.state == CFG_SET && p->rate.rate.pps == 100000);
	CHECK(p->rate.rate.mode == ZEC_RATE_MODE_SHAPE);
	p = &d->ports[1];
	CHECK(p->config.set == ZEC_PORT_SET_NODE);
	CHECK(p->config.node == ZEC_NODE_NONE);
	CHECK(p->rate.state == CFG_NONE);
	cfg_free(cfg);
	return NULL;
}

/* A running zec0 over n0p0 and n1p0, as zec_device_get() gives it. */
struct running {
	struct zec_device dev;
	struct zec_dev_config config;
	struct zec_port ports[2], *port_list[2];
	struct zec_rate dev_rate, inherited, port_rate;
	struct zec_probe_config probe;
	struct zec_probe_target target;
};

static void running(struct running *r)
{
	memset(r, 0, sizeof(*r));
	r->config = (struct zec_dev_config){
		.mode = ZEC_MODE_LAG, .up_delay_ms = 200, .garp_count = 1,
		.mac_table_size = ZEC_MAC_TABLE_SIZE_DEFAULT,
		.mac_ageing_ms = ZEC_MAC_AGEING_MS_DEFAULT,
		.announce_count = ZEC_ANNOUNCE_COUNT_DEFAULT,
		.announce_interval_ms = ZEC_ANNOUNCE_INTERVAL_MS_DEFAULT,
		.announce_rate = ZEC_ANNOUNCE_RATE_DEFAULT,
	};
	r->dev.sz = sizeof(r->dev);
	snprintf(r->dev.ifname, sizeof(r->dev.ifname), "zec0");
	r->dev.config = &r->config;
	r->dev_rate = (struct zec_rate){ .sz = sizeof(r->dev_rate),
					 .percent = 90, .bps = 9000000000ULL };
	r->dev.rate = &r->dev_rate;
	r->port_rate = (struct zec_rate){ .sz = sizeof(r->port_rate),
					  .bps = 1000000000ULL,
					  .mode = ZEC_RATE_MODE_SHAPE };
	r->target.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &r->target.addr.v4);
	r->probe = (struct zec_probe_config){
		.sz = sizeof(r->probe), .n_targets = 1, .targets = &r->target,
		.interval_ms = 100, .miss_count = 3, .recover_count = 1,
	};
	r->dev.probe = &r->probe;
	r->ports[0] = (struct zec_port){ .ifindex = 2, .ifname = "n0p0",
					 .node_override = ZEC_NODE_NONE,
					 .enabled = true,
					 .rate = &r->inherited };
	r->ports[1] = (struct zec_port){ .ifindex = 3, .ifname = "n1p0",
					 .node_override = 1, .enabled = true,
					 .rate = &r->port_rate };
	r->inherited = r->dev_rate;
	r->inherited.inherited = true;
	r->port_list[0] = &r->ports[0];
	r->port_list[1] = &r->ports[1];
	r->dev.ports = r->port_list;
	r->dev.n_ports = 2;
}

/* The plan of text against have, its reports joined by "|". */
static const char *plan_of(const char *text, const struct cfg_dev *have,
			   bool prune, char *buf, size_t size)
{
	struct zecctl_config *cfg;
	struct cfg_plan plan = { 0 };
	struct zecctl_req req;
	size_t i, len = 0;

	memset(&req, 0, sizeof(req));
	if (cfg_read(&req, "t.json", text, &cfg)) {
		snprintf(buf, size, "refused: %s", req.error);
		return buf;
	}
	if (prune)
		cfg_plan_prune(&plan, &cfg->devs[0], have);
	cfg_plan_device(&plan, &cfg->devs[0], have, prune);
	buf[0] = 0;
	for (i = 0; i < plan.n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "|" : "", plan.steps[i].text);
	cfg_plan_free(&plan);
	cfg_free(cfg);
	return buf;
}

#define PLAN(text, have, prune, want) do { \
	plan_of(text, have, prune, buf, sizeof(buf)); \
	if (strcmp(buf, want)) { \
		snprintf(why, sizeof(why), "%s:%d: plan \"%s\", want \"%s\"", \
			 __FILE__, __LINE__, buf, want); \
		return why; \
	} \
} while (0)

static const char *test_config_plan(void)
{
	struct json_object *root, *devs;
	struct cfg_dev have;
	struct running r;
	char buf[2048];

	running(&r);
	CHECK(cfg_from_device(&r.dev, &have) == 0);
	/* dump-config's text of the state: nothing to change, pruned or not */
	root = json_object_new_object();
	devs = json_object_new_array();
	json_object_array_add(devs, cfg_device_json(&have));
	json_object_object_add(root, "devices", devs);
	PLAN(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY),
	     &have, false, "");
	PLAN(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY),
	     &have, true, "");
	json_object_put(root);
	/* what the file leaves out stays as it is */
	PLAN("{\"devices\": [{\"name\": \"zec0\"}]}", &have, false, "");
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"updelay\": \"200ms\","
	     " \"ports\": [{\"name\": \"n1p0\", \"node\": 1}]}]}",
	     &have, false, "");
	/* the kernel rounds a mac-table size up to a power of two */
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"mac-table\": 3000}]}",
	     &have, false, "");
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"mac-table\": 5000}]}",
	     &have, false, "zec0: mac-table 4096 -> 8192");
	/* probe targets are a set: the kernel reports IPv4 ones first */
	have.probe.config.n_targets = 2;
	have.probe.targets[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &have.probe.targets[1].addr.v6);
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"probe\": {\"targets\":"
	     " [\"2001:db8::1\", \"192.0.2.1\"], \"interval\": \"100ms\"}}]}",
	     &have, false, "");
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"probe\": {\"targets\":"
	     " [\"2001:db8::2\", \"192.0.2.1\"], \"interval\": \"100ms\"}}]}",
	     &have, false, "zec0: probe target 192.0.2.1 target 2001:db8::1"
	     " interval 100ms miss 3 recover 1 -> target 2001:db8::2"
	     " target 192.0.2.1 interval 100ms miss 3 recover 1");
	have.probe.config.n_targets = 1;
	/* each change reported, the ports first */
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"mode\": \"independent\","
	     " \"updelay\": \"2s\", \"rxport\": \"n1p0\","
	     " \"rate\": null, \"probe\": {\"targets\": [\"192.0.2.1\"],"
	     " \"interval\": \"1s\"},"
	     " \"ports\": [{\"name\": \"n0p0\", \"enable\": false,"
	     "   \"rate\": {\"rate\": \"2gbit\"}},"
	     "  {\"name\": \"n1p0\", \"node\": \"auto\", \"rate\": null},"
	     "  {\"name\": \"n2p0\", \"node\": 2}]}]}",
	     &have, false,
	     "zec0: port n0p0 enable on -> off|"
	     "zec0: port n0p0 rate none -> 2gbit mode police|"
	     "zec0: port n1p0 node 1 -> auto|"
	     "zec0: port n1p0 rate 1gbit mode shape -> none|"
	     "zec0: port n2p0 added, node 2|"
	     "zec0: mode lag -> independent\n"
	     "zec0: updelay 200ms -> 2s\n"
	     "zec0: rxport auto -> n1p0|"
	     "zec0: rate 90% fallback 9gbit mode police -> none|"
	     "zec0: probe target 192.0.2.1 interval 100ms miss 3 recover 1 ->"
	     " target 192.0.2.1 interval 1s miss 3 recover 1");
	/* --prune: what the file does not list goes */
	PLAN("{\"devices\": [{\"name\": \"zec0\","
	     " \"ports\": [{\"name\": \"n0p0\"}]}]}", &have, true,
	     "zec0: port n1p0 removed|"
	     "zec0: rate 90% fallback 9gbit mode police -> none|"
	     "zec0: probe target 192.0.2.1 interval 100ms miss 3 recover 1 -> none");
	/* a new device: everything the file says */
	PLAN("{\"devices\": [{\"name\": \"zec0\", \"garp\": 2,"
	     " \"ports\": [{\"name\": \"n0p0\"}]}]}", NULL, false,
	     "zec0: device added|zec0: port n0p0 added|zec0: garp 2");
	free(have.ports);
	return NULL;
}

/* The example installed beside the man page (zecctl-config(5)'s). */
static const char *test_config_example(void)
{
	struct zecctl_config *cfg;
	struct zecctl_req req;
	char *text;

	memset(&req, 0, sizeof(req));
	CHECK(cfg_read_file(&req, "../tools/zecctl/zec.json", &text) == 0);
	CHECK(cfg_read(&req, "zec.json", text, &cfg) == 0);
	free(text);
	CHECK(cfg->n_devs == 1 && cfg->devs[0].n_ports == 2);
	CHECK(cfg->devs[0].probe.state == CFG_SET);
	CHECK(cfg->devs[0].ports[1].rate.state == CFG_SET);
	cfg_free(cfg);
	return NULL;
}

const struct unit_test config_tests[] = {
	{ "config: tools/zecctl/zec.json, the example, is valid",
	  test_config_example },
	{ "config: invalid files refused naming line and path",
	  test_config_refused },
	{ "config: a file read as the command line's words",
	  test_config_values },
	{ "config: changes planned from the running state",
	  test_config_plan },
	{ NULL, NULL },
};
