// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl apply -f FILE [--prune]: bring the zec devices to what FILE says,
 * reporting each change; "no changes" if they are already.
 * zecctl dump-config [NAME]: the running state, in FILE's format.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "config.h"

/* The running state, each device also as the file would say it. */
struct state {
	size_t n;
	struct zec_device *devs;
	struct cfg_dev *cfg;
};

static void state_free(struct state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		zec_device_free(&st->devs[i]);
		free(st->cfg[i].ports);
	}
	free(st->devs);
	free(st->cfg);
}

/* Device name, or all; with their probes, which only a get tells. */
static int state_get(struct zec_handle *h, const char *name, struct state *st)
{
	struct zec_device **list;
	size_t i, n;
	int err;

	memset(st, 0, sizeof(*st));
	err = zecctl_get_devices(h, name, false, &list, &n);
	if (err)
		return err;
	st->devs = calloc(n ? n : 1, sizeof(*st->devs));
	st->cfg = calloc(n ? n : 1, sizeof(*st->cfg));
	err = st->devs && st->cfg ? 0 : -ENOMEM;
	for (i = 0; !err && i < n; i++) {
		st->devs[i].sz = sizeof(st->devs[i]);
		err = zec_device_get(h, list[i]->ifname, &st->devs[i]);
		if (!err)
			st->n++;
		if (!err)
			err = cfg_from_device(&st->devs[i], &st->cfg[i]);
	}
	zec_device_list_free(list, n);
	if (err)
		state_free(st);
	return err;
}

static const struct cfg_dev *state_find(const struct state *st,
					const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->cfg[i].name, name))
			return &st->cfg[i];
	return NULL;
}

/* The zec device that has port, or NULL. */
static const struct cfg_dev *port_owner(const struct state *st,
					const char *port)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (cfg_find_port(&st->cfg[i], port))
			return &st->cfg[i];
	return NULL;
}

/*
 * The device port is enslaved to (a bridge, a bond), from sysfs
 * ($ZEC_SYSFS_ROOT, else /sys, as vf's); "" if none.
 */
static void port_master(const char *port, char *master, size_t size)
{
	const char *root = getenv("ZEC_SYSFS_ROOT");
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/class/net/%s/master",
		 root && root[0] ? root : "/sys", port);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	base = strrchr(link, '/');
	snprintf(master, size, "%s", base ? base + 1 : link);
}

/*
 * Against the running state, before any change, what the kernel would
 * refuse half way: a device name a netdev other than zec's has; a port
 * that does not exist, is enslaved elsewhere, or is another zec device's
 * and no --prune takes it from there; a receive port that is none of the
 * device's ports, or one --prune removes.
 */
static int check(struct zecctl_req *req, const struct zecctl_config *cfg,
		 const struct state *st, bool prune)
{
	char path[CFG_PATH_SIZE + 8], master[PATH_MAX];
	const struct cfg_dev *want, *have, *owner;
	const char *name;
	size_t i, j;

	for (i = 0; i < cfg->n_devs; i++) {
		want = &cfg->devs[i];
		have = state_find(st, want->name);
		snprintf(path, sizeof(path), "%s.name", want->path);
		if (!have && if_nametoindex(want->name))
			return cfg_error(req, cfg, path,
					 "\"%s\" is a network device, not a zec device",
					 want->name);
		for (j = 0; j < want->n_ports; j++) {
			name = want->ports[j].name;
			owner = port_owner(st, name);
			snprintf(path, sizeof(path), "%s.name",
				 want->ports[j].path);
			if (owner && owner != have && !prune)
				return cfg_error(req, cfg, path,
						 "\"%s\" is a port of %s: --prune moves it",
						 name, owner->name);
			if (owner)
				continue;
			if (!if_nametoindex(name))
				return cfg_error(req, cfg, path,
						 "no network device \"%s\"",
						 name);
			port_master(name, master, sizeof(master));
			if (master[0])
				return cfg_error(req, cfg, path,
						 "\"%s\" is enslaved to %s",
						 name, master);
		}
		if (!(want->config.set & ZEC_DEV_SET_RX_PORT) ||
		    !want->rx_port[0] || cfg_find_port(want, want->rx_port) ||
		    (have && cfg_find_port(have, want->rx_port) && !prune))
			continue;
		snprintf(path, sizeof(path), "%s.rxport", want->path);
		return cfg_error(req, cfg, path, "\"%s\" is not a port of %s%s",
				 want->rx_port, want->name,
				 have && cfg_find_port(have, want->rx_port) ?
				 ": --prune removes it" : "");
	}
	return 0;
}

static void plan(const struct zecctl_config *cfg, const struct state *st,
		 bool prune, struct cfg_plan *p)
{
	const struct cfg_dev *want;
	size_t i, j;

	/* removals first: a port may move to another device */
	for (i = 0; prune && i < st->n; i++) {
		for (j = 0; j < cfg->n_devs; j++)
			if (!strcmp(cfg->devs[j].name, st->cfg[i].name))
				break;
		want = j < cfg->n_devs ? &cfg->devs[j] : NULL;
		cfg_plan_prune(p, want, &st->cfg[i]);
	}
	for (i = 0; i < cfg->n_devs; i++)
		cfg_plan_device(p, &cfg->devs[i],
				state_find(st, cfg->devs[i].name), prune);
}

/*
 * What a step that failed was, short: the kernel's reason after it must
 * fit in req->error (a step's report may take lines).
 */
static const char *const step_label[] = {
	[CFG_LINK_ADD] = "link add", [CFG_LINK_DEL] = "link del",
	[CFG_PORT_ADD] = "port add", [CFG_PORT_DEL] = "port del",
	[CFG_PORT_SET] = "port set", [CFG_DEV_SET] = "dev set",
	[CFG_RATE_SET] = "rate set", [CFG_RATE_DEL] = "rate del",
	[CFG_PROBE_SET] = "probe set", [CFG_PROBE_DEL] = "probe del",
};

static int run_step(struct zec_handle *h, struct cfg_step *s)
{
	struct zec_probe_config probe;

	switch (s->kind) {
	case CFG_LINK_ADD:
		return zec_link_add(h, s->dev);
	case CFG_LINK_DEL:
		return zec_link_del(h, s->dev);
	case CFG_PORT_ADD:
		return zec_port_add(h, s->dev, s->port, &s->port_config);
	case CFG_PORT_DEL:
		return zec_port_del(h, s->dev, s->port);
	case CFG_PORT_SET:
		return zec_port_set(h, s->dev, s->port, &s->port_config);
	case CFG_DEV_SET:
		if ((s->dev_config.set & ZEC_DEV_SET_RX_PORT) && s->rx_port[0]) {
			s->dev_config.rx_port_ifindex = if_nametoindex(s->rx_port);
			if (!s->dev_config.rx_port_ifindex)
				return -ENODEV;
		}
		return zec_dev_set(h, s->dev, &s->dev_config);
	case CFG_RATE_SET:
		return zec_rate_set(h, s->dev, s->port, &s->rate);
	case CFG_RATE_DEL:
		return zec_rate_del(h, s->dev, s->port);
	case CFG_PROBE_SET:
		probe = s->probe->config;
		probe.sz = sizeof(probe);
		probe.targets = s->probe->targets;
		return zec_probe_set(h, s->dev, &probe);
	default:
		return zec_probe_del(h, s->dev);
	}
}

static int apply_run(struct zec_handle *h, struct zecctl_req *req,
		     struct out *o)
{
	struct cfg_plan p = { 0 };
	const char *why;
	struct state st;
	size_t i;
	int err;

	(void)o;
	err = state_get(h, NULL, &st);
	if (err)
		return err;
	err = check(req, req->config, &st, req->prune);
	if (!err)
		plan(req->config, &st, req->prune, &p);
	for (i = 0; !err && i < p.n; i++) {
		err = run_step(h, &p.steps[i]);
		if (err) {
			why = zec_last_error(h);
			zecctl_invalid(req, "%s: %s%s%s%s: %s", p.steps[i].dev,
				       p.steps[i].port ? "port " : "",
				       p.steps[i].port ? p.steps[i].port : "",
				       p.steps[i].port ? ": " : "",
				       step_label[p.steps[i].kind],
				       why ? why : strerror(-err));
			break;
		}
		printf("%s\n", p.steps[i].text);
		fflush(stdout);
		zecctl_warn(h);
	}
	if (!err && !p.n)
		printf("no changes\n");
	cfg_plan_free(&p);
	state_free(&st);
	zecctl_config_free(req->config);
	req->config = NULL;
	return err;
}

static int apply_parse(int argc, char **argv, struct zecctl_req *req)
{
	char *text;
	int err;

	req->cmd = ZECCTL_APPLY;
	if (argc)
		return zecctl_invalid(req, "unexpected argument \"%s\"",
				      argv[0]);
	if (!req->file)
		return zecctl_invalid(req, "\"apply\" needs \"-f FILE\" (\"-f -\": standard input)");
	err = cfg_read_file(req, req->file, &text);
	if (err)
		return err;
	err = cfg_read(req, req->file, text, &req->config);
	free(text);
	return err;
}

static int dump_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	struct json_object *root, *devs, *dev;
	const char *text = NULL;
	struct state st;
	size_t i;
	int err;

	(void)o;
	err = state_get(h, req->dev, &st);
	if (err)
		return err;
	root = json_object_new_object();
	devs = json_object_new_array();
	if (!root || !devs || json_object_object_add(root, "devices", devs)) {
		json_object_put(devs);
		devs = NULL;
	}
	for (i = 0; devs && i < st.n; i++) {
		dev = cfg_device_json(&st.cfg[i]);
		if (!dev || json_object_array_add(devs, dev)) {
			json_object_put(dev);
			devs = NULL;
		}
	}
	if (devs)
		text = json_object_to_json_string_ext(root,
				JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text)
		printf("%s\n", text);
	json_object_put(root);
	state_free(&st);
	return text ? 0 : -ENOMEM;
}

static int dump_parse(int argc, char **argv, struct zecctl_req *req)
{
	return zecctl_parse_optional_dev(argc, argv, req, ZECCTL_DUMP_CONFIG);
}

const struct zecctl_object apply_object = {
	"apply", apply_parse, apply_run,
	"zecctl apply -f FILE [ --prune ]  (FILE: zecctl-config(5); - for stdin)",
};

const struct zecctl_object dump_config_object = {
	"dump-config", dump_parse, dump_run,
	"zecctl dump-config [ NAME ]",
};
