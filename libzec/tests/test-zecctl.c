// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * zecctl's command line parser: what each command line becomes, and that
 * every bad one is refused with an error naming the bad word.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zecctl.h"
#include "fixture.h"
#include "unit.h"

#define MAX_ARGS 24

/* Split a command line on spaces and parse it as zecctl would. */
static int parse_line(const char *line, struct zecctl_req *req)
{
	static char buf[256];
	char *argv[MAX_ARGS + 1] = { "zecctl" };
	int argc = 1;
	char *word;

	snprintf(buf, sizeof(buf), "%s", line);
	for (word = strtok(buf, " "); word && argc < MAX_ARGS;
	     word = strtok(NULL, " "))
		argv[argc++] = word;
	argv[argc] = NULL;
	return zecctl_parse(argc, argv, req);
}

static const char *test_show(void)
{
	struct zecctl_req req;

	CHECK(parse_line("", &req) == 0);
	CHECK(req.cmd == ZECCTL_SHOW && req.object == &show_object);
	CHECK(!req.dev && !req.json);
	CHECK(parse_line("-j -p show zec0", &req) == 0);
	CHECK(req.cmd == ZECCTL_SHOW && req.json && req.pretty);
	CHECK(!strcmp(req.dev, "zec0"));
	CHECK(parse_line("-j stats", &req) == 0);
	CHECK(req.cmd == ZECCTL_STATS && req.json && !req.pretty && !req.dev);
	CHECK(parse_line("monitor", &req) == 0 && req.cmd == ZECCTL_MONITOR);
	CHECK(parse_line("topology", &req) == 0);
	CHECK(req.cmd == ZECCTL_TOPOLOGY);
	CHECK(parse_line("macs", &req) == 0);
	CHECK(req.cmd == ZECCTL_MACS && req.object == &macs_object && !req.dev);
	CHECK(parse_line("-j macs zec0", &req) == 0);
	CHECK(req.cmd == ZECCTL_MACS && req.json && !strcmp(req.dev, "zec0"));
	return NULL;
}

/* Options anywhere on the line, up to "--"; never a name. */
static const char *test_options(void)
{
	struct zecctl_req req;

	CHECK(parse_line("show zec0 -j", &req) == 0);
	CHECK(req.cmd == ZECCTL_SHOW && req.json && !strcmp(req.dev, "zec0"));
	CHECK(parse_line("show -j -p", &req) == 0 && !req.dev && req.pretty);
	CHECK(parse_line("monitor -t", &req) == 0);
	CHECK(req.cmd == ZECCTL_MONITOR && req.timestamp);
	CHECK(parse_line("-t -j monitor", &req) == 0 && req.timestamp);
	CHECK(parse_line("-n blue port add eth1 master zec0", &req) == 0);
	CHECK(!strcmp(req.netns, "blue") && !strcmp(req.port, "eth1"));
	CHECK(parse_line("link del zec0 -n red", &req) == 0);
	CHECK(!strcmp(req.netns, "red") && !strcmp(req.dev, "zec0"));
	CHECK(parse_line("-V", &req) == 0 && req.version && !req.object);
	CHECK(parse_line("rate set zec0 --version", &req) == 0 && req.version);
	CHECK(parse_line("link add -- -x", &req) == 0);
	CHECK(req.cmd == ZECCTL_LINK_ADD && !strcmp(req.dev, "-x"));
	return NULL;
}

static const char *test_link(void)
{
	struct zecctl_req req;

	CHECK(parse_line("link add zec0", &req) == 0);
	CHECK(req.cmd == ZECCTL_LINK_ADD && !strcmp(req.dev, "zec0"));
	CHECK(parse_line("link del zec1", &req) == 0);
	CHECK(req.cmd == ZECCTL_LINK_DEL && !strcmp(req.dev, "zec1"));
	return NULL;
}

static const char *test_port(void)
{
	struct zecctl_req req;

	CHECK(parse_line("port add eth1 master zec0 node 1 enable off",
			 &req) == 0);
	CHECK(req.cmd == ZECCTL_PORT_ADD);
	CHECK(!strcmp(req.port, "eth1") && !strcmp(req.dev, "zec0"));
	CHECK(req.port_config.set ==
	      (ZEC_PORT_SET_NODE | ZEC_PORT_SET_ENABLED));
	CHECK(req.port_config.node == 1 && !req.port_config.enabled);
	CHECK(parse_line("port set eth1 node auto", &req) == 0);
	CHECK(req.cmd == ZECCTL_PORT_SET && !req.dev);
	CHECK(req.port_config.set == ZEC_PORT_SET_NODE);
	CHECK(req.port_config.node == ZEC_NODE_NONE);
	CHECK(parse_line("port set eth1 enable on node 1023", &req) == 0);
	CHECK(req.port_config.enabled && req.port_config.node == 1023);
	CHECK(parse_line("port del eth1", &req) == 0);
	CHECK(req.cmd == ZECCTL_PORT_DEL && !req.port_config.set);
	CHECK(parse_line("port del eth1 master zec0", &req) == 0);
	CHECK(!strcmp(req.dev, "zec0"));
	return NULL;
}

static const char *test_dev(void)
{
	struct zecctl_req req;

	CHECK(parse_line("dev set zec0 updelay 600000 garp 255 mode independent",
			 &req) == 0);
	CHECK(req.cmd == ZECCTL_DEV_SET && !strcmp(req.dev, "zec0"));
	CHECK(req.dev_config.set == (ZEC_DEV_SET_UP_DELAY | ZEC_DEV_SET_GARP |
				     ZEC_DEV_SET_MODE));
	CHECK(req.dev_config.up_delay_ms == 600000);
	CHECK(req.dev_config.garp_count == 255);
	CHECK(req.dev_config.mode == ZEC_MODE_INDEPENDENT);
	CHECK(parse_line("dev set zec0 mode lag", &req) == 0);
	CHECK(req.dev_config.set == ZEC_DEV_SET_MODE);
	CHECK(req.dev_config.mode == ZEC_MODE_LAG);
	CHECK(parse_line("dev set zec0 rxport n1p0 mac-table 65536 mac-ageing 3600s announce 16 announce-interval 10ms announce-rate 100",
			 &req) == 0);
	CHECK(req.dev_config.set == (ZEC_DEV_SET_RX_PORT |
				     ZEC_DEV_SET_MAC_TABLE_SIZE |
				     ZEC_DEV_SET_MAC_AGEING |
				     ZEC_DEV_SET_ANNOUNCE_COUNT |
				     ZEC_DEV_SET_ANNOUNCE_INTERVAL |
				     ZEC_DEV_SET_ANNOUNCE_RATE));
	CHECK(!strcmp(req.rx_port, "n1p0"));
	CHECK(req.dev_config.mac_table_size == 65536);
	CHECK(req.dev_config.mac_ageing_ms == 3600000);
	CHECK(req.dev_config.announce_count == 16);
	CHECK(req.dev_config.announce_interval_ms == 10);
	CHECK(req.dev_config.announce_rate == 100);
	CHECK(parse_line("dev set zec0 rxport auto mac-table 64 mac-ageing 1000 announce 0 announce-interval 10s announce-rate 1000000",
			 &req) == 0);
	CHECK(!req.rx_port && req.dev_config.rx_port_ifindex == 0);
	CHECK(req.dev_config.set & ZEC_DEV_SET_RX_PORT);
	CHECK(req.dev_config.mac_table_size == 64);
	CHECK(req.dev_config.mac_ageing_ms == 1000);
	CHECK(req.dev_config.announce_count == 0);
	CHECK(req.dev_config.announce_interval_ms == 10000);
	CHECK(req.dev_config.announce_rate == 1000000);
	return NULL;
}

static const char *test_rate(void)
{
	struct zecctl_req req;

	CHECK(parse_line("rate set zec0 port eth1 90% fallback 9gbit pps 100k burst 64k mode shape",
			 &req) == 0);
	CHECK(req.cmd == ZECCTL_RATE_SET && !strcmp(req.dev, "zec0"));
	CHECK(!strcmp(req.port, "eth1"));
	CHECK(req.rate.percent == 90 && req.rate.bps == 9000000000ULL);
	CHECK(req.rate.pps == 100000 && req.rate.burst == 65536);
	CHECK(req.rate.mode == ZEC_RATE_MODE_SHAPE);
	CHECK(parse_line("rate set zec0 2.5mbit", &req) == 0);
	CHECK(!req.port && req.rate.bps == 2500000 && !req.rate.percent);
	CHECK(req.rate.mode == ZEC_RATE_MODE_POLICE);
	/* the kernel refuses 0%, with a message zecctl prints */
	CHECK(parse_line("rate set zec0 0%", &req) == 0 && !req.rate.percent);
	CHECK(parse_line("rate set zec0 pps 1000", &req) == 0);
	CHECK(req.rate.pps == 1000 && !req.rate_given);
	CHECK(parse_line("rate set zec0 18446744073709551615", &req) == 0);
	CHECK(req.rate.bps == UINT64_MAX);
	CHECK(parse_line("rate set zec0 fallback 1gbit 50% pps 1k", &req) == 0);
	CHECK(req.rate.percent == 50 && req.rate.bps == 1000000000ULL);
	CHECK(req.rate.pps == 1000);
	CHECK(parse_line("rate del zec0 port eth1", &req) == 0);
	CHECK(req.cmd == ZECCTL_RATE_DEL && !strcmp(req.port, "eth1"));
	return NULL;
}

/* tc(8)'s rate and size units, one time syntax for every time keyword. */
static const struct {
	const char *line;
	uint64_t value;
} unit_lines[] = {
	{ "rate set zec0 500", 500 },
	{ "rate set zec0 9bit", 9 },
	{ "rate set zec0 2.5kbit", 2500 },
	{ "rate set zec0 1Gbit", 1000000000ULL },
	{ "rate set zec0 10tbit", 10000000000000ULL },
	{ "rate set zec0 3kibit", 3072 },
	{ "rate set zec0 1mibit", 1048576 },
	{ "rate set zec0 1.5gibit", 1610612736ULL },
	{ "rate set zec0 1tibit", 1099511627776ULL },
	{ "rate set zec0 100bps", 800 },
	{ "rate set zec0 1.5bps", 12 },
	{ "rate set zec0 1kbps", 8000 },
	{ "rate set zec0 125MBPS", 1000000000ULL },
	{ "rate set zec0 1gbps", 8000000000ULL },
	{ "rate set zec0 1tbps", 8000000000000ULL },
	{ "rate set zec0 1kibps", 8192 },
	{ "rate set zec0 1mibps", 8388608 },
	{ "rate set zec0 1gibps", 8589934592ULL },
	{ "rate set zec0 1tibps", 8796093022208ULL },
	{ "rate set zec0 90% burst 1514", 1514 },
	{ "rate set zec0 90% burst 2000b", 2000 },
	{ "rate set zec0 90% burst 1.5k", 1536 },
	{ "rate set zec0 90% burst 1.5kb", 1536 },
	{ "rate set zec0 90% burst 512kbit", 65536 },
	{ "rate set zec0 90% burst 2m", 2097152 },
	{ "rate set zec0 90% burst 0.5mb", 524288 },
	{ "rate set zec0 90% burst 1mbit", 131072 },
	{ "rate set zec0 90% burst 3g", 3221225472ULL },
	{ "rate set zec0 90% burst 1gb", 1073741824 },
	{ "rate set zec0 90% burst 8gbit", 1073741824 },
	{ "rate set zec0 pps 1.5k", 1500 },
	{ "dev set zec0 updelay 2000", 2000 },
	{ "dev set zec0 updelay 2s", 2000 },
	{ "dev set zec0 updelay 1.5s", 1500 },
	{ "dev set zec0 updelay 2sec", 2000 },
	{ "dev set zec0 updelay 2secs", 2000 },
	{ "dev set zec0 updelay 250ms", 250 },
	{ "dev set zec0 updelay 250msec", 250 },
	{ "dev set zec0 updelay 250MSECS", 250 },
	{ "dev set zec0 updelay 3000us", 3 },
	{ "dev set zec0 updelay 3000usec", 3 },
	{ "dev set zec0 updelay 3000usecs", 3 },
	{ "dev set zec0 updelay 0", 0 },
	{ "dev set zec0 updelay 600s", 600000 },
	{ "dev set zec0 mac-ageing 1.5s", 1500 },
	{ "dev set zec0 announce-interval 0.01s", 10 },
	{ "probe set zec0 target 192.0.2.1 interval 20000us", 20 },
	{ "probe set zec0 target 192.0.2.1 interval 10 damp 1 hold 2 window 0.5s", 500 },
	{ "probe set zec0 target 192.0.2.1 interval 10 damp 1 window 1 hold 3600s", 3600000 },
};

/* The value the last word of a line of unit_lines sets, by its keyword. */
static uint64_t unit_value(const struct zecctl_req *req, const char *line)
{
	static const struct {
		const char *keyword;
		size_t offset;
	} fields[] = {
		{ " hold ", offsetof(struct zecctl_req, probe_config.damp_hold_ms) },
		{ " window ", offsetof(struct zecctl_req, probe_config.damp_window_ms) },
		{ " interval ", offsetof(struct zecctl_req, probe_config.interval_ms) },
		{ " announce-interval ", offsetof(struct zecctl_req, dev_config.announce_interval_ms) },
		{ " mac-ageing ", offsetof(struct zecctl_req, dev_config.mac_ageing_ms) },
		{ " updelay ", offsetof(struct zecctl_req, dev_config.up_delay_ms) },
		{ " burst ", offsetof(struct zecctl_req, rate.burst) },
	};
	const char *last = strrchr(line, ' ');
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		len = strlen(fields[i].keyword);
		if ((size_t)(last - line) + 1 >= len &&
		    !strncmp(last + 1 - len, fields[i].keyword, len))
			return *(const uint32_t *)((const char *)req +
						   fields[i].offset);
	}
	return strstr(line, " pps ") ? req->rate.pps : req->rate.bps;
}

static const char *test_units(void)
{
	static char why[160];
	struct zecctl_req req;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unit_lines); i++) {
		int err = parse_line(unit_lines[i].line, &req);
		uint64_t got = err ? 0 : unit_value(&req, unit_lines[i].line);

		if (!err && got == unit_lines[i].value)
			continue;
		snprintf(why, sizeof(why), "\"zecctl %s\": got %d \"%s\", %llu, want %llu",
			 unit_lines[i].line, err, req.error,
			 (unsigned long long)got,
			 (unsigned long long)unit_lines[i].value);
		return why;
	}
	return NULL;
}

static const char *test_vf(void)
{
	struct zecctl_req req;

	CHECK(parse_line("vf list", &req) == 0 && req.cmd == ZECCTL_VF_LIST);
	CHECK(req.object == &vf_object);
	CHECK(parse_line("vf pick node 1 pid 7", &req) == 0);
	CHECK(req.cmd == ZECCTL_VF_PICK && req.vf_node_given);
	CHECK(req.vf_node == 1 && !req.cpus && !req.dev && req.vf_owner == 7);
	CHECK(parse_line("vf pick cpus 0-3,8 dev zec0 pid 4242", &req) == 0);
	CHECK(!req.vf_node_given && !strcmp(req.cpus, "0-3,8"));
	CHECK(!strcmp(req.dev, "zec0") && req.vf_owner == 4242);
	CHECK(parse_line("vf release 0000:03:10.0", &req) == 0);
	CHECK(req.cmd == ZECCTL_VF_RELEASE);
	CHECK(!strcmp(req.pci, "0000:03:10.0") && !req.vf_owner);
	CHECK(parse_line("probe set zec0 target 192.0.2.1 interval 20 target 2001:db8::1 target 192.0.2.2",
			 &req) == 0);
	CHECK(req.cmd == ZECCTL_PROBE_SET && req.probe_config.n_targets == 3);
	CHECK(req.probe_config.interval_ms == 20);
	CHECK(parse_line("vf release 10000:e1:00.7 pid 1", &req) == 0);
	CHECK(req.vf_owner == 1);
	CHECK(parse_line("vhost cpus 4-7 dev zec0", &req) == 0);
	CHECK(req.cmd == ZECCTL_VHOST_CPUS && req.object == &vhost_object);
	CHECK(!strcmp(req.cpus, "4-7") && !strcmp(req.dev, "zec0"));
	CHECK(parse_line("vf help", &req) == 0 && req.cmd == ZECCTL_HELP);
	return NULL;
}

/*
 * Parse and run line over the sysfs fixture root as zecctl would (no
 * netlink handle: these commands need none without "dev"); its output.
 */
static int run_line(const char *root, const char *line, const char **out,
		    struct zecctl_req *req)
{
	static char *buf;
	size_t len;
	struct zec_handle *h;
	struct out o;
	int err;

	free(buf);
	buf = NULL;
	setenv("ZEC_SYSFS_ROOT", root, 1);
	setenv("ZEC_RUN_DIR", fixture_run_dir(), 1);
	err = parse_line(line, req);
	if (!err)
		err = zec_open(&h);
	if (!err) {
		out_init(&o, open_memstream(&buf, &len), req->json,
			 req->pretty);
		err = req->object->run(h, req, &o);
		fclose(o.fp);
		/* what main() reports: zecctl's own message, else libzec's */
		if (err && !req->error[0] && zec_last_error(h))
			snprintf(req->error, sizeof(req->error), "%s",
				 zec_last_error(h));
		zec_close(h);
	}
	unsetenv("ZEC_SYSFS_ROOT");
	unsetenv("ZEC_RUN_DIR");
	*out = buf ? buf : "";
	return err;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *test_vf_run(void)
{
	const char *root = fixture_two_nics(), *out;
	struct zecctl_req req;
	char held[64];

	CHECK(root);
	snprintf(held, sizeof(held), "\"in_use\":true,\"owner\":%d}",
		 (int)getpid());
	CHECK(run_line(root, "-j vf list", &out, &req) == 0);
	CHECK(starts_with(out, "[{\"pci\":\"0000:03:00.0\",\"ifname\":\"eth0\",\"node\":0,\"num_vfs\":3,\"total_vfs\":63,\"vfs\":[{\"pci\":\"0000:03:10.0\",\"vf\":0,\"node\":0,\"driver\":\"vfio-pci\",\"ifname\":null,\"mac\":null,\"vlan\":null,\"in_use\":false,\"owner\":null},"));
	CHECK(strstr(out, "{\"pci\":\"0000:05:10.0\",\"vf\":0,\"node\":null,"));
	CHECK(strstr(out, held));
	CHECK(strstr(out, "{\"pci\":\"0000:81:00.1\",\"ifname\":\"eth3\",\"node\":1,\"num_vfs\":0,\"total_vfs\":256,\"vfs\":[]}]\n"));
	CHECK(run_line(root, "vf list", &out, &req) == 0);
	CHECK(starts_with(out, "pf 0000:03:00.0 dev eth0 node 0 vfs 3 of 63\n"
			    "    0000:03:10.0 vf 0 node 0 driver vfio-pci free\n"
			    "    0000:03:10.2 vf 1 node 0 driver ixgbevf dev enp3s16f2 free\n"
			    "    0000:03:10.4 vf 2 node 0 driver none free\n"));
	CHECK(strstr(out, "0000:05:10.0 vf 0 node unknown driver vfio-pci free\n"));
	CHECK(run_line(root, "vf pick cpus 4-7 pid 1", &out, &req) == 0);
	CHECK(!strcmp(out, "0000:81:01.2 vf 2 node 1 driver vfio-pci in use by pid 1 of pf 0000:81:00.0 dev eth2\n"));
	CHECK(run_line(root, "-j vf pick node 1 pid 1", &out, &req) == 0);
	CHECK(!strcmp(out, "{\"pci\":\"0000:81:01.1\",\"vf\":1,\"node\":1,\"driver\":\"iavf\",\"ifname\":\"eth2v1\",\"mac\":null,\"vlan\":null,\"in_use\":true,\"owner\":1,\"pf\":\"0000:81:00.0\",\"pf_ifname\":\"eth2\"}\n"));
	CHECK(run_line(root, "vf pick node 3 pid 1", &out, &req) == -ENOENT);
	CHECK(!strcmp(req.error, "node 3 is not in the NUMA topology"));
	CHECK(run_line(root, "vf pick cpus 3-1 pid 1", &out, &req) == -EINVAL);
	CHECK(!strcmp(req.error, "invalid CPU list \"3-1\""));
	CHECK(run_line(root, "vf release 0000:81:01.1 pid 2", &out, &req) == -EPERM);
	CHECK(!strcmp(req.error, "VF 0000:81:01.1 is not reserved by pid 2"));
	CHECK(run_line(root, "vf release 0000:81:01.1", &out, &req) == 0);
	CHECK(run_line(root, "vf release 0000:81:01.1", &out, &req) == -ENOENT);
	CHECK(!strcmp(req.error, "VF 0000:81:01.1 is not reserved"));
	CHECK(run_line(root, "vf release 0000:99:00.0", &out, &req) == -EINVAL);
	CHECK(!strcmp(req.error, "no VF 0000:99:00.0"));
	CHECK(run_line(root, "vhost cpus 4", &out, &req) == 0);
	CHECK(!strcmp(out, "node 1 cpus 5-7\n"));
	CHECK(run_line(root, "-j vhost cpus 0-3", &out, &req) == 0);
	CHECK(!strcmp(out, "{\"node\":0,\"cpus\":[0,1,2,3],\"ports\":[]}\n"));
	CHECK(run_line(root, "vhost cpus 9", &out, &req) == -ENOENT);
	CHECK(!strcmp(req.error, "CPU list \"9\" names a CPU on no node"));
	CHECK(run_line(fixture_new(), "vf pick node 0 pid 1", &out, &req) == -ENODEV);
	CHECK(!strcmp(req.error, "no SR-IOV VF found"));
	fixture_cleanup();
	return NULL;
}

static const char *test_help(void)
{
	struct zecctl_req req;

	CHECK(parse_line("help", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(!req.object);
	CHECK(parse_line("-h", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(parse_line("port help", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(req.object == &port_object);
	CHECK(parse_line("monitor help", &req) == 0);
	CHECK(req.cmd == ZECCTL_HELP && req.object == &monitor_object);
	CHECK(parse_line("help link", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(req.object == &link_object);
	/* anywhere after the object: never a name, nor an error */
	CHECK(parse_line("link add help", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(req.object == &link_object && !req.dev);
	CHECK(parse_line("rate set help", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(req.object == &rate_object);
	CHECK(parse_line("dev set zec0 help", &req) == 0);
	CHECK(req.cmd == ZECCTL_HELP && req.object == &dev_object);
	CHECK(parse_line("port add eth1 master help", &req) == 0);
	CHECK(req.cmd == ZECCTL_HELP && req.object == &port_object);
	CHECK(parse_line("probe set zec0 target bogus help", &req) == 0);
	CHECK(req.cmd == ZECCTL_HELP && req.object == &probe_object);
	CHECK(parse_line("vf pick node 0 help", &req) == 0);
	CHECK(req.cmd == ZECCTL_HELP && req.object == &vf_object);
	CHECK(parse_line("show help", &req) == 0 && req.cmd == ZECCTL_HELP);
	CHECK(parse_line("help frob", &req) == -EINVAL);
	return NULL;
}

/* Each line must fail, with an error containing the given word. */
static const struct {
	const char *line;
	const char *word;
} bad_lines[] = {
	{ "-x", "\"-x\"" },
	{ "show -s", "unknown option \"-s\"" },
	{ "stats zec0 -s", "unknown option \"-s\"" },
	{ "-t show", "\"-t\" is for \"monitor\" only" },
	{ "show -n", "\"-n\" needs a network namespace name" },
	{ "-n a/b show", "invalid network namespace name \"a/b\"" },
	{ "-n .. show", "invalid network namespace name \"..\"" },
	{ "show -p", "\"-p\" needs \"-j\"" },
	{ "link add -- -x -y", "\"-y\"" },
	{ "-p show", "\"-j\"" },
	{ "frob", "\"frob\"" },
	{ "SHOW", "\"SHOW\"" },
	{ "link", "missing command" },
	{ "link ad zec0", "\"ad\"" },
	{ "link add", "missing device name" },
	{ "link add zec0 zec1", "\"zec1\"" },
	{ "link add zec_name_too_long0", "\"zec_name_too_long0\"" },
	{ "show zec0 extra", "\"extra\"" },
	{ "monitor now", "\"now\"" },
	{ "topology all", "\"all\"" },
	{ "port add eth1", "master NAME" },
	{ "port add eth1 master", "\"master\" needs a value" },
	{ "port add eth1 master zec0 nodes 1", "\"nodes\"" },
	{ "port set eth1", "nothing to set" },
	{ "port set eth1 node 1024", "\"1024\"" },
	{ "port set eth1 node -1", "invalid argument \"-1\": expected node 0 to 1023" },
	{ "port set eth1 node 0x1", "\"0x1\"" },
	{ "port set eth1 node 1x", "\"1x\"" },
	{ "port set eth1 node", "\"node\" needs a value" },
	{ "port set eth1 node Auto", "\"Auto\"" },
	{ "port set eth1 enable yes", "\"yes\"" },
	{ "port del eth1 node 1", "\"node\"" },
	{ "port add", "missing port name" },
	{ "dev set zec0", "nothing to set" },
	{ "dev set zec0 updelay 600001", "\"600001\"" },
	{ "dev set zec0 garp 256", "\"256\"" },
	{ "dev set zec0 garp 99999999999999999999", "\"99999999999999999999\"" },
	{ "dev set zec0 mode LAG", "\"LAG\"" },
	{ "dev get zec0", "\"get\"" },
	{ "dev set zec0 rxport", "\"rxport\" needs a value" },
	{ "dev set zec0 rxport port_name_too_long", "\"port_name_too_long\"" },
	{ "dev set zec0 mac-table 63", "\"63\": expected 64 to 65536" },
	{ "dev set zec0 mac-table 65537", "\"65537\"" },
	{ "dev set zec0 mac-table 4k", "\"4k\"" },
	{ "dev set zec0 mac-ageing 999", "\"999\": expected 1000ms to 3600000ms" },
	{ "dev set zec0 mac-ageing 3601s", "\"3601s\"" },
	{ "dev set zec0 mac-ageing 5m", "\"5m\"" },
	{ "dev set zec0 announce 17", "\"17\": expected 0 to 16" },
	{ "dev set zec0 announce -1", "\"-1\"" },
	{ "dev set zec0 announce-interval 9ms", "\"9ms\": expected 10ms to 10000ms" },
	{ "dev set zec0 announce-interval 11s", "\"11s\"" },
	{ "dev set zec0 announce-rate 99", "\"99\": expected 100 to 1000000" },
	{ "dev set zec0 announce-rate 1000001", "\"1000001\"" },
	{ "dev set zec0 announce-count 3", "\"announce-count\"" },
	{ "macs zec0 extra", "\"extra\"" },
	{ "macs zec_name_too_long0", "\"zec_name_too_long0\"" },
	{ "dev set", "missing device name" },
	{ "rate set zec0", "missing rate" },
	{ "rate set zec0 90% 80%", "\"80%\"" },
	/* bit/s beside bit/s: was a silent 2 Gbit/s cap */
	{ "rate set zec0 1gbit fallback 2gbit", "\"fallback\" goes with a percentage only" },
	{ "rate set zec0 fallback 2gbit 1gbit", "\"fallback\" goes with a percentage only" },
	{ "rate set zec0 pps 1000 fallback 2gbit", "\"fallback\" goes with a percentage only" },
	{ "rate set zec0 fallback 2gbit", "missing rate" },
	{ "rate set zec0 90% fallback 1gbit fallback 2gbit", "\"fallback\" given twice" },
	{ "rate set zec0 90% pps 1 pps 2", "\"pps\" given twice" },
	{ "rate set zec0 90% burst 64k burst 1m", "\"burst\" given twice" },
	{ "rate set zec0 90% mode shape mode police", "\"mode\" given twice" },
	{ "rate set zec0 port a port b 90%", "\"port\" given twice" },
	{ "rate del zec0 port a port b", "\"port\" given twice" },
	{ "port add eth1 master a master b", "\"master\" given twice" },
	{ "port set eth1 node 0 node 1", "\"node\" given twice" },
	{ "port set eth1 enable on enable off", "\"enable\" given twice" },
	{ "port del eth1 master a master b", "\"master\" given twice" },
	{ "dev set zec0 updelay 1 updelay 2", "\"updelay\" given twice" },
	{ "dev set zec0 garp 1 garp 2", "\"garp\" given twice" },
	{ "dev set zec0 mode lag mode independent", "\"mode\" given twice" },
	{ "dev set zec0 rxport eth1 rxport auto", "\"rxport\" given twice" },
	{ "dev set zec0 mac-table 64 mac-table 128", "\"mac-table\" given twice" },
	{ "dev set zec0 mac-ageing 1s mac-ageing 2s", "\"mac-ageing\" given twice" },
	{ "dev set zec0 announce 1 announce 2", "\"announce\" given twice" },
	{ "dev set zec0 announce-interval 10 announce-interval 20", "\"announce-interval\" given twice" },
	{ "dev set zec0 announce-rate 100 announce-rate 200", "\"announce-rate\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 interval 30", "\"interval\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 miss 1 miss 2", "\"miss\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 recover 1 recover 2", "\"recover\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 damp 1 window 1s hold 1s damp 2", "\"damp\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 damp 1 window 1s hold 1s window 2s", "\"window\" given twice" },
	{ "probe set zec0 target 192.0.2.1 interval 20 damp 1 window 1s hold 1s hold 2s", "\"hold\" given twice" },
	{ "vf pick node 0 node 1 pid 1", "\"node\" given twice" },
	{ "vf pick cpus 0 cpus 1 pid 1", "\"cpus\" given twice" },
	{ "vf pick node 0 dev a dev b pid 1", "\"dev\" given twice" },
	{ "vf pick node 0 pid 1 pid 2", "\"pid\" given twice" },
	{ "vf release 0000:03:10.0 pid 1 pid 2", "\"pid\" given twice" },
	{ "vhost cpus 0 dev a dev b", "\"dev\" given twice" },
	{ "rate set zec0 9gbits", "\"9gbits\"" },
	{ "rate set zec0 1.5bit", "\"1.5bit\"" },
	{ "rate set zec0 20000000tbit", "too large" },
	{ "rate set zec0 18446744073709551616", "too large" },
	{ "rate set zec0 -5%", "\"-5%\"" },
	{ "rate set zec0 90% burst 5g", "\"5g\"" },
	{ "rate set zec0 90% burst 4096m", "too large" },
	{ "rate set zec0 90% mode drop", "\"drop\"" },
	{ "rate set zec0 0.1bit", "invalid rate \"0.1bit\"" },
	{ "rate set zec0 1.gbit", "\"1.gbit\"" },
	{ "rate set zec0 .5gbit", "\".5gbit\"" },
	{ "rate set zec0 5gibits", "\"5gibits\"" },
	{ "rate set zec0 90% fallback 1.1bit", "invalid fallback \"1.1bit\"" },
	{ "rate set zec0 3000000tibps", "invalid rate \"3000000tibps\": too large" },
	{ "rate set zec0 90% burst 1.1k", "invalid burst \"1.1k\"" },
	{ "rate set zec0 90% burst 4g", "invalid burst \"4g\": too large" },
	{ "rate set zec0 90% burst 1kib", "\"1kib\"" },
	{ "rate set zec0 pps 1.5", "invalid pps \"1.5\"" },
	{ "dev set zec0 updelay 2.5ms", "invalid updelay \"2.5ms\": not a whole number of milliseconds" },
	{ "dev set zec0 updelay 601s", "invalid updelay \"601s\": expected 0ms to 600000ms" },
	{ "dev set zec0 updelay 99999999999999999999s", "invalid updelay \"99999999999999999999s\"" },
	{ "dev set zec0 updelay 2m", "invalid updelay \"2m\"" },
	{ "dev set zec0 updelay -1", "invalid updelay \"-1\"" },
	{ "rate set zec0 -5mbit", "invalid rate \"-5mbit\"" },
	{ "dev set zec0 mac-ageing 1.0001s", "invalid mac-ageing \"1.0001s\": not a whole number" },
	{ "probe set zec0 target 192.0.2.1 interval 1500us", "invalid interval \"1500us\": not a whole number" },
	{ "probe set zec0 target 192.0.2.1 interval 61s", "invalid interval \"61s\": expected 10ms to 60000ms" },
	{ "probe set zec0 target 192.0.2.1 interval 10 damp 1 window 1 hold 3600.001s", "invalid hold \"3600.001s\": expected 1ms to 3600000ms" },
	{ "probe set zec0 target 192.0.2.1 interval 10 damp 1 window 0us hold 1", "invalid window \"0us\": expected 1ms" },
	{ "rate set zec0 90% port", "\"port\" needs a value" },
	{ "rate del zec0 90%", "\"90%\"" },
	{ "rate get zec0", "\"get\"" },
	{ "vf", "missing command" },
	{ "vf show", "\"show\"" },
	{ "vf list all", "\"all\"" },
	{ "vf pick", "\"node N\" or \"cpus LIST\"" },
	{ "vf pick node 0", "needs \"pid PID\": the reservation lasts" },
	{ "vf pick cpus 0-3 dev zec0", "needs \"pid PID\"" },
	{ "vf pick node 0 cpus 0", "\"node N\" or \"cpus LIST\"" },
	{ "vf pick node -1", "\"-1\"" },
	{ "vf pick node 1024", "\"1024\"" },
	{ "vf pick node", "\"node\" needs a value" },
	{ "vf pick cpus 0,x", "\"0,x\"" },
	{ "vf pick cpus", "\"cpus\" needs a value" },
	{ "vf pick node 0 pid 0", "\"0\"" },
	{ "vf pick node 0 pid 2147483648", "\"2147483648\"" },
	{ "vf pick node 0 dev zec_name_too_long0", "\"zec_name_too_long0\"" },
	{ "vf pick node 0 port eth0", "\"port\"" },
	{ "vf release", "missing PCI address" },
	{ "vf release 03:10.0", "\"03:10.0\"" },
	{ "vf release 0000:03:10.8", "\"0000:03:10.8\"" },
	{ "vf release 0000:03:1g.0", "\"0000:03:1g.0\"" },
	{ "vf release 0000:03:10.0 node 1", "\"node\"" },
	{ "vhost", "missing command" },
	{ "vhost cpus", "missing CPU list" },
	{ "vhost cpus 0 1", "\"1\"" },
	{ "vhost cpus 0 dev", "\"dev\" needs a value" },
	{ "vhost cpus a", "\"a\"" },
	{ "vhost pin 0", "\"pin\"" },
};

static const char *test_bad_lines(void)
{
	static char why[256];
	struct zecctl_req req;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		int err = parse_line(bad_lines[i].line, &req);

		if (err && strstr(req.error, bad_lines[i].word))
			continue;
		snprintf(why, sizeof(why), "\"zecctl %s\": got %d \"%s\"",
			 bad_lines[i].line, err, req.error);
		return why;
	}
	return NULL;
}

const struct unit_test zecctl_tests[] = {
	{ "zecctl args: show, stats, monitor, topology, macs", test_show },
	{ "zecctl args: options anywhere, -t, -n, -V", test_options },
	{ "zecctl args: link add and del", test_link },
	{ "zecctl args: port add, set and del", test_port },
	{ "zecctl args: dev set, receive side of independent mode too",
	  test_dev },
	{ "zecctl args: rate set and del", test_rate },
	{ "zecctl args: tc's rate and size units, one time syntax", test_units },
	{ "zecctl args: vf list, pick and release, vhost cpus", test_vf },
	{ "zecctl vf and vhost over a sysfs fixture", test_vf_run },
	{ "zecctl args: help", test_help },
	{ "zecctl args: bad input is refused naming the bad word", test_bad_lines },
	{ NULL, NULL },
};
