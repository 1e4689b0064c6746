// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl stats -o prometheus: the counters of "zecctl -j stats" and the
 * state of "zecctl -j show" in the Prometheus text exposition format
 * 0.0.4, which node_exporter's textfile collector reads.
 *
 * Every metric family is printed whole, once, with its "# HELP" and
 * "# TYPE" lines before its first sample, and not at all without one.
 * Counter FOO of a device, a port or a node is zec_device_FOO_total,
 * zec_port_FOO_total or zec_node_FOO_total (FOO as "zecctl -j stats" names
 * it), at the levels whose nest the kernel puts it in. Labels: device,
 * port (the port's name), node (its number). State is in gauges; an
 * enumeration (a port's down reasons, a node's select) has one sample per
 * value, 1 for the current ones and 0 for the others, so that its series
 * stay the same when the state changes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "counters.h"
#include "prometheus.h"

static const struct {
	enum zecctl_level level;
	const char *name;
} levels[] = {
	{ ZECCTL_DEVICE, "device" }, { ZECCTL_PORT, "port" },
	{ ZECCTL_NODE, "node" },
};

/* The family being printed; its header goes out with its first sample. */
struct family {
	FILE *fp;
	char name[64];
	const char *type;
	const char *help;
	bool started;
};

/* device="zec0",port="n0p0": escaped, comma-separated */
struct labels {
	char s[256];
	size_t len;
};

static void family(struct family *f, const char *type, const char *help,
		   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void family(struct family *f, const char *type, const char *help,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->name, sizeof(f->name), fmt, ap);
	va_end(ap);
	f->type = type;
	f->help = help;
	f->started = false;
}

static void label(struct labels *l, const char *key, const char *value)
{
	size_t room = sizeof(l->s) - 1;
	const char *c;

	/* names of 15 bytes, all escaped, take far less: never cut */
	l->len += (size_t)snprintf(l->s + l->len, sizeof(l->s) - l->len,
				   "%s%s=\"", l->len ? "," : "", key);
	for (c = value; *c && l->len + 3 < room; c++) {
		if (*c == '\\' || *c == '"' || *c == '\n') {
			l->s[l->len++] = '\\';
			l->s[l->len++] = *c == '\n' ? 'n' : *c;
		} else {
			l->s[l->len++] = *c;
		}
	}
	l->s[l->len++] = '"';
	l->s[l->len] = 0;
}

static void label_u32(struct labels *l, const char *key, uint32_t value)
{
	char num[16];

	if (value == ZEC_NODE_NONE)
		snprintf(num, sizeof(num), "none");
	else
		snprintf(num, sizeof(num), "%u", value);
	label(l, key, num);
}

/* The labels of a device, a port of it or a node of it (NULL, -1: not) */
static struct labels *at(struct labels *l, const struct zec_device *dev,
			 const char *port, int64_t node)
{
	l->len = 0;
	label(l, "device", dev->ifname);
	if (port)
		label(l, "port", port);
	if (node >= 0)
		label_u32(l, "node", (uint32_t)node);
	return l;
}

static void sample(struct family *f, const struct labels *l,
		   const char *value)
{
	if (!f->started) {
		fprintf(f->fp, "# HELP %s %s\n# TYPE %s %s\n", f->name,
			f->help, f->name, f->type);
		f->started = true;
	}
	fprintf(f->fp, "%s{%s} %s\n", f->name, l->s, value);
}

static void sample_u64(struct family *f, const struct labels *l,
		       uint64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)value);
	sample(f, l, num);
}

static void print_counter(struct family *f, const struct zecctl_counter *c,
			  enum zecctl_level level,
			  struct zec_device *const *stats, size_t n)
{
	struct labels l;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct zec_device *dev = stats[i];

		if (level == ZECCTL_DEVICE && dev->stats)
			sample_u64(f, at(&l, dev, NULL, -1),
				   zecctl_counter_value(dev->stats, c));
		for (j = 0; level == ZECCTL_PORT && j < dev->n_ports; j++) {
			const struct zec_port *port = dev->ports[j];

			if (port->stats)
				sample_u64(f, at(&l, dev, port->ifname, -1),
					   zecctl_counter_value(port->stats, c));
		}
		for (j = 0; level == ZECCTL_NODE && j < dev->n_nodes; j++) {
			const struct zec_node *node = dev->nodes[j];

			if (node->stats)
				sample_u64(f, at(&l, dev, NULL, node->id),
					   zecctl_counter_value(node->stats, c));
		}
	}
}

static void print_counters(struct family *f, struct zec_device *const *stats,
			   size_t n)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		for (j = 0; j < zecctl_n_counters; j++) {
			const struct zecctl_counter *c = &zecctl_counters[j];

			if (!(c->levels & levels[i].level))
				continue;
			family(f, "counter", c->help, "zec_%s_%s_total",
			       levels[i].name, c->key);
			print_counter(f, c, levels[i].level, stats, n);
		}
	}
}

/*
 * A value of a device's or a port's cap; which: the field's offset in
 * struct zec_rate, a uint32_t (size 4) or uint64_t. Zero: none given.
 */
struct rate_field {
	const char *suffix;
	size_t offset, size;
	const char *help;
};

#define RATE(suffix, m, help) \
	{ suffix, offsetof(struct zec_rate, m), \
	  sizeof(((struct zec_rate *)0)->m), help }

static const struct rate_field device_rate[] = {
	RATE("percent", percent,
	     "Default rate cap of the ports: share of link speed in percent"),
	RATE("bits_per_second", bps,
	     "Default rate cap of the ports in bit/s (with a percent: for a port of unknown speed)"),
	RATE("packets_per_second", pps,
	     "Default rate cap of the ports in packet/s"),
	RATE("burst_bytes", burst, "Default rate cap's burst in bytes"),
};

static const struct rate_field port_rate[] = {
	RATE("percent", percent,
	     "Rate cap of the port as configured: share of link speed in percent"),
	RATE("bits_per_second", active_bps,
	     "Rate cap of the port enforced now, in bit/s"),
	RATE("packets_per_second", active_pps,
	     "Rate cap of the port enforced now, in packet/s"),
	RATE("burst_bytes", active_burst,
	     "Burst of the port's rate cap enforced now, in bytes"),
};

_Static_assert(ARRAY_SIZE(device_rate) == ARRAY_SIZE(port_rate),
	       "one family per field at both levels");

static uint64_t rate_value(const struct zec_rate *rate,
			   const struct rate_field *field)
{
	const char *p = (const char *)rate + field->offset;

	return field->size == sizeof(uint32_t) ? *(const uint32_t *)p :
						 *(const uint64_t *)p;
}

static void print_rate_info(struct family *f, struct labels *l,
			    const struct zec_rate *rate, bool port)
{
	label(l, "mode", zecctl_rate_mode_name(rate->mode));
	if (port)
		label(l, "inherited", rate->inherited ? "true" : "false");
	sample(f, l, "1");
}

static void print_rates(struct family *f, struct zec_device *const *devs,
			size_t n, bool port)
{
	const struct rate_field *fields = port ? port_rate : device_rate;
	const char *level = port ? "port" : "device";
	struct labels l;
	size_t i, j, k;

	family(f, "gauge", port ?
	       "A rate cap is in force on the port: its mode, and whether it is the device default" :
	       "The device has a default rate cap of the ports: its mode",
	       "zec_%s_rate_cap_info", level);
	for (i = 0; i < n; i++) {
		if (!port && devs[i]->rate)
			print_rate_info(f, at(&l, devs[i], NULL, -1),
					devs[i]->rate, false);
		for (j = 0; port && j < devs[i]->n_ports; j++)
			if (devs[i]->ports[j]->rate)
				print_rate_info(f, at(&l, devs[i],
						      devs[i]->ports[j]->ifname,
						      -1),
						devs[i]->ports[j]->rate, true);
	}
	for (k = 0; k < ARRAY_SIZE(port_rate); k++) {
		family(f, "gauge", fields[k].help, "zec_%s_rate_cap_%s", level,
		       fields[k].suffix);
		for (i = 0; i < n; i++) {
			const struct zec_device *dev = devs[i];

			if (!port && dev->rate &&
			    rate_value(dev->rate, &fields[k]))
				sample_u64(f, at(&l, dev, NULL, -1),
					   rate_value(dev->rate, &fields[k]));
			for (j = 0; port && j < dev->n_ports; j++) {
				const struct zec_port *p = dev->ports[j];

				if (p->rate && rate_value(p->rate, &fields[k]))
					sample_u64(f, at(&l, dev, p->ifname, -1),
						   rate_value(p->rate,
							      &fields[k]));
			}
		}
	}
}

static void print_devices(struct family *f, struct zec_device *const *devs,
			  size_t n)
{
	struct labels l;
	size_t i;

	family(f, "gauge", "The zec device, with its mode as a label",
	       "zec_device_info");
	for (i = 0; i < n; i++) {
		at(&l, devs[i], NULL, -1);
		label(&l, "mode", zecctl_mode_name(devs[i]->config->mode));
		sample(f, &l, "1");
	}
	family(f, "gauge", "Source MACs remembered now (independent mode)",
	       "zec_device_macs");
	for (i = 0; i < n; i++)
		if (devs[i]->config->mac_table_size)
			sample_u64(f, at(&l, devs[i], NULL, -1),
				   devs[i]->mac_count);
	print_rates(f, devs, n, false);
}

/* A gauge per port: what of the port. */
struct port_gauge {
	const char *name;
	const char *help;
	/* false: no sample for this port */
	bool (*value)(const struct zec_port *port, char *buf, size_t size);
};

static bool value_of(char *buf, size_t size, uint64_t value)
{
	snprintf(buf, size, "%llu", (unsigned long long)value);
	return true;
}

static bool port_up(const struct zec_port *port, char *buf, size_t size)
{
	return value_of(buf, size, port->state == ZEC_PORT_STATE_UP);
}

static bool port_enabled(const struct zec_port *port, char *buf, size_t size)
{
	return value_of(buf, size, port->enabled);
}

static bool port_probing(const struct zec_port *port, char *buf, size_t size)
{
	return value_of(buf, size, port->probing);
}

static bool port_probe_misses(const struct zec_port *port, char *buf,
			      size_t size)
{
	return port->probing && value_of(buf, size, port->probe_misses);
}

static bool port_reply_age(const struct zec_port *port, char *buf,
			   size_t size)
{
	uint32_t ms = port->probe_reply_age_ms;

	if (!port->probing)
		return false;
	if (ms == ZEC_PROBE_NO_REPLY)
		snprintf(buf, size, "+Inf");
	else
		snprintf(buf, size, "%u.%03u", ms / 1000, ms % 1000);
	return true;
}

static const struct port_gauge port_gauges[] = {
	{ "zec_port_up", "1 if the port carries traffic, 0 if it is down",
	  port_up },
	{ "zec_port_enabled", "1 unless the port was disabled (port set enable off)",
	  port_enabled },
	{ "zec_port_probing", "1 if the device probes the path through the port",
	  port_probing },
	{ "zec_port_probe_misses", "Probe intervals in a row without a reply",
	  port_probe_misses },
	{ "zec_port_probe_reply_age_seconds",
	  "Age of the last probe reply; +Inf if none yet", port_reply_age },
};

static void print_port_info(struct family *f, struct zec_device *const *devs,
			    size_t n)
{
	struct labels l;
	size_t i, j;

	family(f, "gauge",
	       "A port of a zec device, with its node (\"none\" if unknown) and the node the platform reports",
	       "zec_port_info");
	for (i = 0; i < n; i++) {
		for (j = 0; j < devs[i]->n_ports; j++) {
			const struct zec_port *port = devs[i]->ports[j];

			at(&l, devs[i], port->ifname, -1);
			label_u32(&l, "node", port->node);
			label_u32(&l, "detected_node", port->detected_node);
			sample(f, &l, "1");
		}
	}
}

/* Every ZEC_PORT_DOWN_* bit zecctl names, then "unknown" if others are set */
static void print_down_reasons(struct family *f, const struct zec_device *dev,
			       const struct zec_port *port)
{
	uint32_t bit, named = 0;
	struct labels l;
	char name[32];

	for (bit = 1; bit; bit <<= 1) {
		zecctl_down_reasons(bit, name, sizeof(name));
		if (!strcmp(name, "unknown"))
			continue;
		named |= bit;
		at(&l, dev, port->ifname, -1);
		label(&l, "reason", name);
		sample(f, &l, port->down_reasons & bit ? "1" : "0");
	}
	if (port->down_reasons & ~named) {
		at(&l, dev, port->ifname, -1);
		label(&l, "reason", "unknown");
		sample(f, &l, "1");
	}
}

static void print_ports(struct family *f, struct zec_device *const *devs,
			size_t n)
{
	struct labels l;
	size_t i, j, k;
	char value[32];

	print_port_info(f, devs, n);
	for (k = 0; k < ARRAY_SIZE(port_gauges); k++) {
		family(f, "gauge", port_gauges[k].help, "%s",
		       port_gauges[k].name);
		for (i = 0; i < n; i++)
			for (j = 0; j < devs[i]->n_ports; j++)
				if (port_gauges[k].value(devs[i]->ports[j],
							 value, sizeof(value)))
					sample(f, at(&l, devs[i],
						     devs[i]->ports[j]->ifname,
						     -1), value);
	}
	family(f, "gauge",
	       "1 for each reason the port is down (ZEC_PORT_DOWN_*), 0 for the others",
	       "zec_port_down_reason");
	for (i = 0; i < n; i++)
		for (j = 0; j < devs[i]->n_ports; j++)
			print_down_reasons(f, devs[i], devs[i]->ports[j]);
	print_rates(f, devs, n, true);
}

static void print_nodes(struct family *f, struct zec_device *const *devs,
			size_t n)
{
	struct labels l;
	size_t i, j;
	uint32_t s;

	family(f, "gauge", "Ports serving the node now; 0: its traffic is dropped",
	       "zec_node_serving_ports");
	for (i = 0; i < n; i++)
		for (j = 0; j < devs[i]->n_nodes; j++)
			sample_u64(f, at(&l, devs[i], NULL, devs[i]->nodes[j]->id),
				   devs[i]->nodes[j]->n_ports);
	family(f, "gauge",
	       "1 for why the node's port serves it (local, nearest, unknown-node; none: no port), 0 for the others",
	       "zec_node_select");
	for (i = 0; i < n; i++) {
		for (j = 0; j < devs[i]->n_nodes; j++) {
			const struct zec_node *node = devs[i]->nodes[j];

			for (s = 0; s <= ZEC_SELECT_MAX; s++) {
				at(&l, devs[i], NULL, node->id);
				label(&l, "select", zecctl_select_name(s));
				sample(f, &l, node->select == s ? "1" : "0");
			}
			if (node->select > ZEC_SELECT_MAX) {
				at(&l, devs[i], NULL, node->id);
				label(&l, "select",
				      zecctl_select_name(node->select));
				sample(f, &l, "1");
			}
		}
	}
}

void zecctl_prometheus(FILE *fp, struct zec_device *const *devs, size_t n,
		       struct zec_device *const *stats, size_t n_stats)
{
	struct family f = { .fp = fp };

	print_counters(&f, stats, n_stats);
	print_devices(&f, devs, n);
	print_ports(&f, devs, n);
	print_nodes(&f, devs, n);
}

int zecctl_prometheus_run(struct zec_handle *h, const char *name, FILE *fp)
{
	struct zec_device **devs, **stats;
	size_t n, n_stats;
	int err;

	err = zecctl_get_devices(h, name, false, &devs, &n);
	if (err)
		return err;
	err = zecctl_get_devices(h, name, true, &stats, &n_stats);
	if (err) {
		zec_device_list_free(devs, n);
		return err;
	}
	zecctl_prometheus(fp, devs, n, stats, n_stats);
	zec_device_list_free(stats, n_stats);
	zec_device_list_free(devs, n);
	/* a file cut short must not be renamed into place: fail */
	errno = 0;
	if (fflush(fp) || ferror(fp))
		return errno ? -errno : -EIO;
	return 0;
}

int zecctl_prometheus_parse(int argc, char **argv, struct zecctl_req *req)
{
	if (strcmp(req->format, "prometheus"))
		return zecctl_invalid(req, "unknown output format \"%s\": expected \"prometheus\"",
				      req->format);
	if (req->json)
		return zecctl_invalid(req, "\"-j\" and \"-o prometheus\" exclude each other");
	return zecctl_parse_optional_dev(argc, argv, req,
					 ZECCTL_STATS_PROMETHEUS);
}
