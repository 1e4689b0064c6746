// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl apply -f FILE [--prune] and zecctl dump-config [NAME]: the zec
 * devices as a JSON document (zecctl-config(5)), read with json-c. Every
 * value goes, as the word it would be on the command line, through the
 * parser of "dev set", "port set", "rate set" or "probe set": the file
 * takes exactly what the command line takes.
 *
 * apply reads and checks the whole file when parsing (exit 1, nothing
 * sent), checks it against the running state (ports that exist, the
 * receive port among the device's ports) before changing anything, then
 * makes, device by device, the changes plan_device() finds, each reported
 * on stdout as it is made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "config.h"

/* ------------------------------------------------------------------ */
/* Where a JSON path is in the text, for error messages */

#define LOCATE_DEPTH 16
#define LOCATE_KEYS 32

struct locate_frame {
	bool array;
	int index;
	const char *key;		/* in the text, after its quote */
	size_t key_len;
	int n_keys;			/* the object's keys so far */
	const char *keys[LOCATE_KEYS];
	size_t key_lens[LOCATE_KEYS];
};

/* A key of object f that came before (json-c keeps the last silently). */
static bool key_seen(struct locate_frame *f)
{
	int i;

	for (i = 0; i < f->n_keys; i++)
		if (f->key_lens[i] == f->key_len &&
		    !memcmp(f->keys[i], f->key, f->key_len))
			return true;
	if (f->n_keys < LOCATE_KEYS) {
		f->keys[f->n_keys] = f->key;
		f->key_lens[f->n_keys++] = f->key_len;
	}
	return false;
}

/* The path of the value the walk is at, as cfg_path() spells it. */
static void frames_path(const struct locate_frame *f, int depth, char *buf,
			size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < depth && len < size; i++) {
		if (f[i].array)
			len += (size_t)snprintf(buf + len, size - len, "[%d]",
						f[i].index);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%.*s",
						len ? "." : "",
						(int)f[i].key_len, f[i].key);
	}
}

/* The end of the string whose opening quote is at s. */
static const char *skip_string(const char *s)
{
	for (s++; *s && *s != '"'; s++)
		if (*s == '\\' && s[1])
			s++;
	return s;
}

/*
 * The line of the value at path in text, which json-c parsed: json-c
 * keeps no positions, so a walk of the text's structure finds it. 0 if
 * not found. With path NULL, the first key given twice in an object
 * instead: its path into dup.
 */
static int locate(const char *text, const char *path, char *dup,
		  size_t dup_size)
{
	static struct locate_frame f[LOCATE_DEPTH];
	bool want_value = true;
	int depth = 0, line = 1;
	char here[CFG_PATH_SIZE];
	const char *s;

	for (s = text; *s; s++) {
		if (*s == '\n')
			line++;
		if (strchr(" \t\r\n:", *s))
			continue;
		if (*s == ',') {
			if (depth && f[depth - 1].array)
				f[depth - 1].index++;
			want_value = depth && f[depth - 1].array;
			continue;
		}
		if (*s == '}' || *s == ']') {
			depth -= depth > 0;
			want_value = false;
			continue;
		}
		if (!want_value && *s == '"') {		/* a key */
			if (depth && !f[depth - 1].array) {
				f[depth - 1].key = s + 1;
				f[depth - 1].key_len = (size_t)(skip_string(s) - s - 1);
				if (!path && key_seen(&f[depth - 1])) {
					frames_path(f, depth, dup, dup_size);
					return line;
				}
			}
			s = skip_string(s);
			want_value = true;
			continue;
		}
		frames_path(f, depth, here, sizeof(here));
		if (path && !strcmp(here, path))
			return line;
		want_value = false;
		if ((*s == '{' || *s == '[') && depth < LOCATE_DEPTH) {
			f[depth].array = *s == '[';
			f[depth].index = 0;
			f[depth].key = "";
			f[depth].key_len = 0;
			f[depth].n_keys = 0;
			depth++;
			want_value = *s == '[';
		} else if (*s == '"') {
			s = skip_string(s);
		} else {
			while (s[1] && !strchr(",]} \t\r\n", s[1]))
				s++;
		}
		if (!*s)
			break;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading the file */

int cfg_error(struct zecctl_req *req, const struct zecctl_config *cfg,
		     const char *path, const char *fmt, ...)
{
	int line = locate(cfg->text, path, NULL, 0);
	char msg[sizeof(req->error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		return zecctl_invalid(req, "%s:%d: %s%s%s", cfg->file, line,
				      path, path[0] ? ": " : "", msg);
	return zecctl_invalid(req, "%s: %s%s%s", cfg->file, path,
			      path[0] ? ": " : "", msg);
}

/* parent's key, or with key NULL its [index]; cut to size if longer. */
static void cfg_path(char *buf, size_t size, const char *parent,
		     const char *key, int index)
{
	int n;

	if (!key)
		n = snprintf(buf, size, "%s[%d]", parent, index);
	else
		n = snprintf(buf, size, "%s%s%s", parent,
			     parent[0] ? "." : "", key);
	if (n < 0)
		buf[0] = 0;
}

/* A string with a NUL in it ("lo\u0000junk"), which C would cut short. */
static bool has_nul(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) &&
	       strlen(json_object_get_string(v)) !=
	       (size_t)json_object_get_string_len(v);
}

/* A scalar as the word it would be on the command line, else NULL. */
static const char *word_of(struct json_object *v, char *buf, size_t size)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_object_get_string(v);
	case json_type_int:
		snprintf(buf, size, "%lld",
			 (long long)json_object_get_int64(v));
		return buf;
	case json_type_boolean:
		return json_object_get_boolean(v) ? "on" : "off";
	default:
		return NULL;
	}
}

#define MAX_WORDS (8 + 2 * ZEC_PROBE_TARGETS_MAX + 2 * 8)

/* The words of a command line being built, numbers kept beside them. */
struct words {
	int n;
	char *argv[MAX_WORDS];
	char numbers[16][24];
	int n_numbers;
};

static void words_add(struct words *w, const char *word)
{
	if (w->n < MAX_WORDS - 1)
		w->argv[w->n++] = (char *)word;
}

/* Adds v's word (with keyword before it unless NULL), else fails. */
static int words_value(struct zecctl_req *req, const struct zecctl_config *cfg,
		       struct words *w, const char *keyword,
		       struct json_object *v, const char *path)
{
	const char *word = word_of(v, w->numbers[w->n_numbers % 16],
				   sizeof(w->numbers[0]));

	w->n_numbers++;
	if (has_nul(v))
		return cfg_error(req, cfg, path, "a string with a NUL character");
	if (!word)
		return cfg_error(req, cfg, path,
				 "expected a string or a whole number, as on the command line");
	if (keyword)
		words_add(w, keyword);
	words_add(w, word);
	return 0;
}

/*
 * The command line "zecctl -- WORDS" parsed into sub; its error, if any,
 * becomes req's, at path.
 */
static int words_parse(struct zecctl_req *req, const struct zecctl_config *cfg,
		       struct words *w, struct zecctl_req *sub,
		       const char *path)
{
	char *argv[MAX_WORDS + 2];
	int err;

	argv[0] = (char *)"zecctl";
	argv[1] = (char *)"--";
	memcpy(argv + 2, w->argv, (size_t)w->n * sizeof(argv[0]));
	err = zecctl_parse(w->n + 2, argv, sub);
	if (!err && sub->cmd == ZECCTL_HELP)
		err = zecctl_invalid(sub, "\"help\" is no value");
	return err ? cfg_error(req, cfg, path, "%s", sub->error) : 0;
}

static void words_start(struct words *w, const char *a, const char *b,
			const char *c)
{
	memset(w, 0, sizeof(*w));
	words_add(w, a);
	words_add(w, b);
	words_add(w, c);
}

static bool is_object(struct json_object *v)
{
	return json_object_is_type(v, json_type_object);
}

/* "rate": {...} or null, of dev or (port not NULL) of its port. */
static int read_rate(struct zecctl_req *req, const struct zecctl_config *cfg,
		     struct json_object *v, const char *path,
		     const char *dev, const char *port, struct cfg_rate *rate)
{
	static const char *const keys[] = {
		"rate", "fallback", "pps", "burst", "mode",
	};
	char sub_path[CFG_PATH_SIZE];
	struct zecctl_req sub;
	struct words w;
	size_t i;
	int err;

	if (json_object_is_type(v, json_type_null)) {
		rate->state = CFG_NONE;
		return 0;
	}
	if (!is_object(v))
		return cfg_error(req, cfg, path, "expected an object or null");
	words_start(&w, "rate", "set", dev);
	if (port) {
		words_add(&w, "port");
		words_add(&w, port);
	}
	json_object_object_foreach(v, key, value) {
		cfg_path(sub_path, sizeof(sub_path), path, key, 0);
		for (i = 0; i < ARRAY_SIZE(keys) && strcmp(key, keys[i]); i++)
			;
		if (i == ARRAY_SIZE(keys))
			return cfg_error(req, cfg, sub_path,
					 "unknown key: expected rate, fallback, pps, burst or mode");
		err = words_value(req, cfg, &w, i ? key : NULL, value,
				  sub_path);
		if (err)
			return err;
	}
	err = words_parse(req, cfg, &w, &sub, path);
	if (err)
		return err;
	rate->state = CFG_SET;
	rate->rate = sub.rate;
	return 0;
}

/* "probe": {...} or null. */
static int read_probe(struct zecctl_req *req, const struct zecctl_config *cfg,
		      struct json_object *v, const char *path,
		      const char *dev, struct cfg_probe *probe)
{
	static const char *const keys[] = {
		"targets", "interval", "miss", "recover", "damp", "window",
		"hold",
	};
	char sub_path[CFG_PATH_SIZE], target_path[CFG_PATH_SIZE];
	struct zecctl_req sub;
	struct words w;
	size_t i, t;
	int err;

	if (json_object_is_type(v, json_type_null)) {
		probe->state = CFG_NONE;
		return 0;
	}
	if (!is_object(v))
		return cfg_error(req, cfg, path, "expected an object or null");
	words_start(&w, "probe", "set", dev);
	json_object_object_foreach(v, key, value) {
		cfg_path(sub_path, sizeof(sub_path), path, key, 0);
		for (i = 0; i < ARRAY_SIZE(keys) && strcmp(key, keys[i]); i++)
			;
		if (i == ARRAY_SIZE(keys))
			return cfg_error(req, cfg, sub_path,
					 "unknown key: expected targets, interval, miss, recover, damp, window or hold");
		if (i) {
			err = words_value(req, cfg, &w, key, value, sub_path);
			if (err)
				return err;
			continue;
		}
		if (!json_object_is_type(value, json_type_array))
			return cfg_error(req, cfg, sub_path,
					 "expected an array of addresses");
		if (json_object_array_length(value) > ZEC_PROBE_TARGETS_MAX)
			return cfg_error(req, cfg, sub_path,
					 "too many targets: at most %d",
					 ZEC_PROBE_TARGETS_MAX);
		for (t = 0; t < json_object_array_length(value); t++) {
			cfg_path(target_path, sizeof(target_path), sub_path,
				 NULL, (int)t);
			err = words_value(req, cfg, &w, "target",
					  json_object_array_get_idx(value, t),
					  target_path);
			if (err)
				return err;
		}
	}
	err = words_parse(req, cfg, &w, &sub, path);
	if (err)
		return err;
	probe->state = CFG_SET;
	probe->config = sub.probe_config;
	memcpy(probe->targets, sub.probe_targets, sizeof(probe->targets));
	/* as the kernel reports them: its defaults for the counts left out */
	if (!probe->config.miss_count)
		probe->config.miss_count = ZEC_PROBE_DEFAULT_MISS_COUNT;
	if (!probe->config.recover_count)
		probe->config.recover_count = ZEC_PROBE_DEFAULT_RECOVER_COUNT;
	return 0;
}

/* A "name" key: what "link add NAME" takes. */
static int read_name(struct zecctl_req *req, const struct zecctl_config *cfg,
		     struct json_object *obj, const char *path,
		     const char **name)
{
	char name_path[CFG_PATH_SIZE];
	struct json_object *v;
	struct zecctl_req sub;
	struct words w;

	cfg_path(name_path, sizeof(name_path), path, "name", 0);
	if (!json_object_object_get_ex(obj, "name", &v))
		return cfg_error(req, cfg, path, "missing \"name\"");
	if (!json_object_is_type(v, json_type_string))
		return cfg_error(req, cfg, name_path, "expected a string");
	if (has_nul(v))
		return cfg_error(req, cfg, name_path,
				 "a string with a NUL character");
	words_start(&w, "link", "add", json_object_get_string(v));
	if (words_parse(req, cfg, &w, &sub, name_path))
		return -EINVAL;
	*name = json_object_get_string(v);
	return 0;
}

static int read_port(struct zecctl_req *req, const struct zecctl_config *cfg,
		     struct json_object *obj, const char *path,
		     const char *dev, struct cfg_port *port)
{
	char sub_path[CFG_PATH_SIZE];
	struct zecctl_req sub;
	struct words w;
	int err;

	snprintf(port->path, sizeof(port->path), "%s", path);
	if (!is_object(obj))
		return cfg_error(req, cfg, path, "expected an object");
	err = read_name(req, cfg, obj, path, &port->name);
	if (err)
		return err;
	json_object_object_foreach(obj, key, value) {
		cfg_path(sub_path, sizeof(sub_path), path, key, 0);
		if (!strcmp(key, "name"))
			continue;
		if (!strcmp(key, "rate")) {
			err = read_rate(req, cfg, value, sub_path, dev,
					port->name, &port->rate);
			if (err)
				return err;
			continue;
		}
		if (strcmp(key, "node") && strcmp(key, "enable"))
			return cfg_error(req, cfg, sub_path,
					 "unknown key: expected name, node, enable or rate");
		words_start(&w, "port", "set", port->name);
		err = words_value(req, cfg, &w, key, value, sub_path);
		if (!err)
			err = words_parse(req, cfg, &w, &sub, sub_path);
		if (err)
			return err;
		port->config.set |= sub.port_config.set;
		if (sub.port_config.set & ZEC_PORT_SET_NODE)
			port->config.node = sub.port_config.node;
		else
			port->config.enabled = sub.port_config.enabled;
	}
	return 0;
}

/* The settings of "dev set", in the order they are written and reported. */
enum field_kind { FIELD_COUNT, FIELD_TIME, FIELD_MODE, FIELD_RX_PORT };

static const struct dev_field {
	const char *key;
	unsigned int bit;
	size_t offset;
	enum field_kind kind;
} dev_fields[] = {
	{ "mode", ZEC_DEV_SET_MODE, offsetof(struct zec_dev_config, mode),
	  FIELD_MODE },
	{ "updelay", ZEC_DEV_SET_UP_DELAY,
	  offsetof(struct zec_dev_config, up_delay_ms), FIELD_TIME },
	{ "garp", ZEC_DEV_SET_GARP, offsetof(struct zec_dev_config, garp_count),
	  FIELD_COUNT },
	{ "rxport", ZEC_DEV_SET_RX_PORT,
	  offsetof(struct zec_dev_config, rx_port_ifindex), FIELD_RX_PORT },
	{ "mac-table", ZEC_DEV_SET_MAC_TABLE_SIZE,
	  offsetof(struct zec_dev_config, mac_table_size), FIELD_COUNT },
	{ "mac-ageing", ZEC_DEV_SET_MAC_AGEING,
	  offsetof(struct zec_dev_config, mac_ageing_ms), FIELD_TIME },
	{ "announce", ZEC_DEV_SET_ANNOUNCE_COUNT,
	  offsetof(struct zec_dev_config, announce_count), FIELD_COUNT },
	{ "announce-interval", ZEC_DEV_SET_ANNOUNCE_INTERVAL,
	  offsetof(struct zec_dev_config, announce_interval_ms), FIELD_TIME },
	{ "announce-rate", ZEC_DEV_SET_ANNOUNCE_RATE,
	  offsetof(struct zec_dev_config, announce_rate), FIELD_COUNT },
};

/* The settings a kernel before libzec 1.1's reports none of. */
#define DEV_SET_1_1 (ZEC_DEV_SET_RX_PORT | ZEC_DEV_SET_MAC_TABLE_SIZE | \
		     ZEC_DEV_SET_MAC_AGEING | ZEC_DEV_SET_ANNOUNCE_COUNT | \
		     ZEC_DEV_SET_ANNOUNCE_INTERVAL | ZEC_DEV_SET_ANNOUNCE_RATE)

static uint32_t *field_of(struct zec_dev_config *c, const struct dev_field *f)
{
	return (uint32_t *)((char *)c + f->offset);
}

static uint32_t field_value(const struct zec_dev_config *c,
			    const struct dev_field *f)
{
	return *(const uint32_t *)((const char *)c + f->offset);
}

static const struct dev_field *find_field(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dev_fields); i++)
		if (!strcmp(dev_fields[i].key, key))
			return &dev_fields[i];
	return NULL;
}

/*
 * The size the kernel makes a mac-table (as "dev set" does, it takes any
 * size in range): compared and reported as that, else 5000 would be a
 * change at every apply.
 */
static uint32_t pow2_roundup(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* One "dev set" keyword. */
static int read_dev_field(struct zecctl_req *req,
			  const struct zecctl_config *cfg,
			  const struct dev_field *f, struct json_object *v,
			  const char *path, struct cfg_dev *dev)
{
	struct zecctl_req sub;
	struct words w;
	int err;

	words_start(&w, "dev", "set", dev->name);
	err = words_value(req, cfg, &w, f->key, v, path);
	if (!err)
		err = words_parse(req, cfg, &w, &sub, path);
	if (err)
		return err;
	dev->config.set |= f->bit;
	*field_of(&dev->config, f) = field_value(&sub.dev_config, f);
	if (f->bit == ZEC_DEV_SET_MAC_TABLE_SIZE)
		dev->config.mac_table_size =
			pow2_roundup(dev->config.mac_table_size);
	if (f->kind == FIELD_RX_PORT)
		snprintf(dev->rx_port, sizeof(dev->rx_port), "%s",
			 sub.rx_port ? sub.rx_port : "");
	return 0;
}

static int read_ports(struct zecctl_req *req, const struct zecctl_config *cfg,
		      struct json_object *v, const char *path,
		      struct cfg_dev *dev)
{
	char port_path[CFG_PATH_SIZE];
	size_t i, j;
	int err;

	if (!json_object_is_type(v, json_type_array))
		return cfg_error(req, cfg, path, "expected an array of ports");
	dev->ports_given = true;
	dev->n_ports = json_object_array_length(v);
	dev->ports = calloc(dev->n_ports ? dev->n_ports : 1,
			    sizeof(*dev->ports));
	if (!dev->ports)
		return -ENOMEM;
	for (i = 0; i < dev->n_ports; i++) {
		cfg_path(port_path, sizeof(port_path), path, NULL, (int)i);
		err = read_port(req, cfg, json_object_array_get_idx(v, i),
				port_path, dev->name, &dev->ports[i]);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (!strcmp(dev->ports[j].name, dev->ports[i].name))
				return cfg_error(req, cfg, port_path,
						 "port \"%s\" listed twice",
						 dev->ports[i].name);
	}
	return 0;
}

static int read_device(struct zecctl_req *req, const struct zecctl_config *cfg,
		       struct json_object *obj, const char *path,
		       struct cfg_dev *dev)
{
	char sub_path[CFG_PATH_SIZE];
	const struct dev_field *f;
	int err;

	snprintf(dev->path, sizeof(dev->path), "%s", path);
	if (!is_object(obj))
		return cfg_error(req, cfg, path, "expected an object");
	err = read_name(req, cfg, obj, path, &dev->name);
	if (err)
		return err;
	json_object_object_foreach(obj, key, value) {
		cfg_path(sub_path, sizeof(sub_path), path, key, 0);
		f = find_field(key);
		if (f)
			err = read_dev_field(req, cfg, f, value, sub_path, dev);
		else if (!strcmp(key, "name"))
			err = 0;
		else if (!strcmp(key, "ports"))
			err = read_ports(req, cfg, value, sub_path, dev);
		else if (!strcmp(key, "rate"))
			err = read_rate(req, cfg, value, sub_path, dev->name,
					NULL, &dev->rate);
		else if (!strcmp(key, "probe"))
			err = read_probe(req, cfg, value, sub_path, dev->name,
					 &dev->probe);
		else
			err = cfg_error(req, cfg, sub_path,
					"unknown key: expected name, ports, rate, probe or a setting of \"zecctl dev set\"");
		if (err)
			return err;
	}
	return 0;
}

static int read_devices(struct zecctl_req *req, struct zecctl_config *cfg,
			struct json_object *root)
{
	char path[CFG_PATH_SIZE];
	struct json_object *devs;
	size_t i, j, k;
	int err;

	if (!is_object(root))
		return cfg_error(req, cfg, "", "expected an object: {\"devices\": [...]}");
	json_object_object_foreach(root, key, value) {
		(void)value;
		if (strcmp(key, "devices"))
			return cfg_error(req, cfg, key,
					 "unknown key: expected devices");
	}
	if (!json_object_object_get_ex(root, "devices", &devs))
		return 0;		/* {}: no devices */
	if (!json_object_is_type(devs, json_type_array))
		return cfg_error(req, cfg, "devices", "expected an array");
	cfg->n_devs = json_object_array_length(devs);
	cfg->devs = calloc(cfg->n_devs ? cfg->n_devs : 1, sizeof(*cfg->devs));
	if (!cfg->devs)
		return -ENOMEM;
	for (i = 0; i < cfg->n_devs; i++) {
		cfg_path(path, sizeof(path), "devices", NULL, (int)i);
		err = read_device(req, cfg, json_object_array_get_idx(devs, i),
				  path, &cfg->devs[i]);
		if (err)
			return err;
		for (j = 0; j < i; j++) {
			if (!strcmp(cfg->devs[j].name, cfg->devs[i].name))
				return cfg_error(req, cfg, path,
						 "device \"%s\" listed twice",
						 cfg->devs[i].name);
			for (k = 0; k < cfg->devs[i].n_ports; k++)
				if (cfg_find_port(&cfg->devs[j],
						  cfg->devs[i].ports[k].name))
					return cfg_error(req, cfg,
							 cfg->devs[i].ports[k].path,
							 "port \"%s\" is also listed under %s",
							 cfg->devs[i].ports[k].name,
							 cfg->devs[j].name);
		}
	}
	return 0;
}

int cfg_read_file(struct zecctl_req *req, const char *file, char **text)
{
	FILE *fp = strcmp(file, "-") ? fopen(file, "r") : stdin;
	size_t len = 0, size = 4096, n;
	char *buf = NULL, *bigger;
	int err = 0;

	if (!fp)
		return zecctl_invalid(req, "cannot open \"%s\": %s", file,
				      strerror(errno));
	do {
		bigger = realloc(buf, size);
		if (!bigger) {
			err = -ENOMEM;
			break;
		}
		buf = bigger;
		n = fread(buf + len, 1, size - len - 1, fp);
		len += n;
		size *= 2;
	} while (n && len <= CFG_FILE_MAX);
	if (!err && ferror(fp))
		err = zecctl_invalid(req, "cannot read \"%s\"", file);
	else if (!err && len > CFG_FILE_MAX)
		err = zecctl_invalid(req, "\"%s\": file too large: more than %d MiB",
				     file, CFG_FILE_MAX >> 20);
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = 0;
	*text = buf;
	return 0;
}

/* The line of offset in text. */
static int line_at(const char *text, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

int cfg_read(struct zecctl_req *req, const char *file, const char *text,
	     struct zecctl_config **config)
{
	struct zecctl_config *cfg = calloc(1, sizeof(*cfg));
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	size_t len = strlen(text), end;
	char dup[CFG_PATH_SIZE];
	int err, line;

	if (!cfg)
		return -ENOMEM;
	cfg->file = strcmp(file, "-") ? file : "<stdin>";
	cfg->text = strdup(text);
	tok = json_tokener_new();
	if (!cfg->text || !tok) {
		json_tokener_free(tok);
		cfg_free(cfg);
		return -ENOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	cfg->root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue)
		err = zecctl_invalid(req, "%s:%d: JSON syntax error: unexpected end of file",
				     cfg->file, line_at(text, len));
	else if (jerr != json_tokener_success)
		err = zecctl_invalid(req, "%s:%d: JSON syntax error: %s",
				     cfg->file, line_at(text, end),
				     json_tokener_error_desc(jerr));
	else if ((line = locate(text, NULL, dup, sizeof(dup))))
		err = zecctl_invalid(req, "%s:%d: %s: given twice: give each key once",
				     cfg->file, line, dup);
	else
		err = read_devices(req, cfg, cfg->root);
	if (err) {
		cfg_free(cfg);
		return err;
	}
	*config = cfg;
	return 0;
}

void cfg_free(struct zecctl_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n_devs; i++)
		free(cfg->devs[i].ports);
	free(cfg->devs);
	json_object_put(cfg->root);
	free(cfg->text);
	free(cfg);
}

void zecctl_config_free(struct zecctl_config *config)
{
	cfg_free(config);
}

struct cfg_port *cfg_find_port(const struct cfg_dev *dev, const char *name)
{
	size_t i;

	for (i = 0; i < dev->n_ports; i++)
		if (!strcmp(dev->ports[i].name, name))
			return &dev->ports[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The running state, as the file would say it */

static void rate_from(struct cfg_rate *to, const struct zec_rate *rate)
{
	to->state = rate ? CFG_SET : CFG_NONE;
	if (rate)
		to->rate = *rate;
}

int cfg_from_device(const struct zec_device *dev, struct cfg_dev *to)
{
	const struct zec_port *p;
	char buf[32];
	size_t i;

	memset(to, 0, sizeof(*to));
	to->name = dev->ifname;
	to->config = *dev->config;
	to->config.set = ZEC_DEV_SET_MODE | ZEC_DEV_SET_UP_DELAY |
			 ZEC_DEV_SET_GARP;
	/* 0 is below the range: a kernel without independent mode's */
	if (dev->config->mac_table_size)
		to->config.set |= DEV_SET_1_1;
	if (dev->config->rx_port_ifindex)
		snprintf(to->rx_port, sizeof(to->rx_port), "%s",
			 zecctl_port_name(dev, dev->config->rx_port_ifindex,
					  buf, sizeof(buf)));
	rate_from(&to->rate, dev->rate);
	to->probe.state = dev->probe ? CFG_SET : CFG_NONE;
	if (dev->probe) {
		to->probe.config = *dev->probe;
		memcpy(to->probe.targets, dev->probe->targets,
		       dev->probe->n_targets * sizeof(to->probe.targets[0]));
	}
	to->ports_given = true;
	to->n_ports = dev->n_ports;
	to->ports = calloc(dev->n_ports ? dev->n_ports : 1,
			   sizeof(*to->ports));
	if (!to->ports)
		return -ENOMEM;
	for (i = 0; i < dev->n_ports; i++) {
		p = dev->ports[i];
		to->ports[i].name = p->ifname;
		to->ports[i].config.set = ZEC_PORT_SET_NODE |
					  ZEC_PORT_SET_ENABLED;
		to->ports[i].config.node = p->node_override;
		to->ports[i].config.enabled = p->enabled;
		/* the port's own cap, not the device default it inherits */
		rate_from(&to->ports[i].rate,
			  p->rate && !p->rate->inherited ? p->rate : NULL);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values as words (reports) and as JSON (dump-config) */

static void time_word(uint32_t ms, char *buf, size_t size)
{
	if (ms && !(ms % 1000))
		snprintf(buf, size, "%us", ms / 1000);
	else
		snprintf(buf, size, "%ums", ms);
}

static void field_word(const struct dev_field *f, const struct cfg_dev *dev,
		       char *buf, size_t size)
{
	uint32_t v = field_value(&dev->config, f);

	switch (f->kind) {
	case FIELD_TIME:
		time_word(v, buf, size);
		break;
	case FIELD_MODE:
		snprintf(buf, size, "%s", zecctl_mode_name(v));
		break;
	case FIELD_RX_PORT:
		snprintf(buf, size, "%s", dev->rx_port[0] ? dev->rx_port : "auto");
		break;
	default:
		snprintf(buf, size, "%u", v);
	}
}

static void node_word(uint32_t node, char *buf, size_t size)
{
	if (node == ZEC_NODE_NONE)
		snprintf(buf, size, "auto");
	else
		snprintf(buf, size, "%u", node);
}

/* The RATE word: "90%" or "9gbit"; "" if the cap is of packets only. */
static void rate_word(const struct zec_rate *r, char *buf, size_t size)
{
	if (r->percent)
		snprintf(buf, size, "%u%%", r->percent);
	else if (r->bps)
		zecctl_format_bps(r->bps, buf, size);
	else
		buf[0] = 0;
}

/* As "rate set" takes it: "90% fallback 9gbit pps 1000 mode police". */
static void rate_words(const struct cfg_rate *rate, char *buf, size_t size)
{
	const struct zec_rate *r = &rate->rate;
	char word[32];
	size_t len;

	if (rate->state != CFG_SET) {
		snprintf(buf, size, "none");
		return;
	}
	rate_word(r, buf, size);
	len = strlen(buf);
	if (r->percent && r->bps) {
		zecctl_format_bps(r->bps, word, sizeof(word));
		len += (size_t)snprintf(buf + len, size - len, " fallback %s",
					word);
	}
	if (r->pps && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%spps %llu",
					len ? " " : "",
					(unsigned long long)r->pps);
	if (r->burst && len < size)
		len += (size_t)snprintf(buf + len, size - len, " burst %u",
					r->burst);
	if (len < size)
		snprintf(buf + len, size - len, " mode %s",
			 zecctl_rate_mode_name(r->mode));
}

static void probe_words(const struct cfg_probe *probe, char *buf, size_t size)
{
	const struct zec_probe_config *c = &probe->config;
	char word[INET6_ADDRSTRLEN], t1[16], t2[16], t3[16];
	size_t len = 0, i;

	if (probe->state != CFG_SET) {
		snprintf(buf, size, "none");
		return;
	}
	buf[0] = 0;
	for (i = 0; i < c->n_targets && len < size; i++) {
		zecctl_format_target(&probe->targets[i], word, sizeof(word));
		len += (size_t)snprintf(buf + len, size - len, "target %s ",
					word);
	}
	time_word(c->interval_ms, t1, sizeof(t1));
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len,
					"interval %s miss %u recover %u", t1,
					c->miss_count, c->recover_count);
	time_word(c->damp_window_ms, t2, sizeof(t2));
	time_word(c->damp_hold_ms, t3, sizeof(t3));
	if (c->damp_count && len < size)
		snprintf(buf + len, size - len, " damp %u window %s hold %s",
			 c->damp_count, t2, t3);
}

static struct json_object *json_word(const char *word)
{
	return json_object_new_string(word);
}

/*
 * Adds v to o as key, or (key NULL) to array o; false if v is NULL (an
 * allocation failed) or cannot be added, v then freed.
 */
static bool put(struct json_object *o, const char *key, struct json_object *v)
{
	int err = !v;

	if (!err)
		err = key ? json_object_object_add(o, key, v) :
			    json_object_array_add(o, v);
	if (err)
		json_object_put(v);
	return !err;
}

/* o, or NULL (freeing o) if not ok. */
static struct json_object *built(struct json_object *o, bool ok)
{
	if (ok)
		return o;
	json_object_put(o);
	return NULL;
}

/* The cap as an object, or NULL: no memory. */
static struct json_object *rate_json(const struct cfg_rate *rate)
{
	const struct zec_rate *r = &rate->rate;
	struct json_object *o = json_object_new_object();
	bool ok = o;
	char word[32];

	rate_word(r, word, sizeof(word));
	if (ok && word[0])
		ok = put(o, "rate", json_word(word));
	if (ok && r->percent && r->bps) {
		zecctl_format_bps(r->bps, word, sizeof(word));
		ok = put(o, "fallback", json_word(word));
	}
	if (ok && r->pps)
		ok = put(o, "pps", json_object_new_int64((int64_t)r->pps));
	if (ok && r->burst)
		ok = put(o, "burst", json_object_new_int64(r->burst));
	if (ok)
		ok = put(o, "mode", json_word(zecctl_rate_mode_name(r->mode)));
	return built(o, ok);
}

/* The probes as an object, or NULL: no memory. */
static struct json_object *probe_json(const struct cfg_probe *probe)
{
	const struct zec_probe_config *c = &probe->config;
	struct json_object *o = json_object_new_object(), *targets = NULL;
	char word[INET6_ADDRSTRLEN];
	bool ok = o;
	size_t i;

	if (ok) {
		targets = json_object_new_array();
		ok = put(o, "targets", targets);
	}
	for (i = 0; ok && i < c->n_targets; i++) {
		zecctl_format_target(&probe->targets[i], word, sizeof(word));
		ok = put(targets, NULL, json_word(word));
	}
	time_word(c->interval_ms, word, sizeof(word));
	if (ok)
		ok = put(o, "interval", json_word(word)) &&
		     put(o, "miss", json_object_new_int64(c->miss_count)) &&
		     put(o, "recover", json_object_new_int64(c->recover_count));
	if (ok && c->damp_count) {
		ok = put(o, "damp", json_object_new_int64(c->damp_count));
		time_word(c->damp_window_ms, word, sizeof(word));
		ok = ok && put(o, "window", json_word(word));
		time_word(c->damp_hold_ms, word, sizeof(word));
		ok = ok && put(o, "hold", json_word(word));
	}
	return built(o, ok);
}

/* A cap or the probes: JSON null if none. */
static bool put_state(struct json_object *o, const char *key,
		      enum cfg_state state, struct json_object *v)
{
	if (state == CFG_SET)
		return put(o, key, v);
	return !json_object_object_add(o, key, NULL);
}

static struct json_object *port_json(const struct cfg_port *port)
{
	struct json_object *p = json_object_new_object();
	bool ok = p;

	if (ok)
		ok = put(p, "name", json_word(port->name));
	if (ok)
		ok = put(p, "node", port->config.node == ZEC_NODE_NONE ?
			 json_word("auto") :
			 json_object_new_int64(port->config.node));
	if (ok)
		ok = put(p, "enable",
			 json_object_new_boolean(port->config.enabled));
	if (ok)
		ok = put_state(p, "rate", port->rate.state,
			       port->rate.state == CFG_SET ?
			       rate_json(&port->rate) : NULL);
	return built(p, ok);
}

struct json_object *cfg_device_json(const struct cfg_dev *dev)
{
	struct json_object *o = json_object_new_object(), *ports = NULL;
	const struct dev_field *f;
	bool ok = o;
	char word[32];
	size_t i;

	if (ok)
		ok = put(o, "name", json_word(dev->name));
	for (i = 0; ok && i < ARRAY_SIZE(dev_fields); i++) {
		f = &dev_fields[i];
		if (!(dev->config.set & f->bit))
			continue;
		field_word(f, dev, word, sizeof(word));
		ok = put(o, f->key, f->kind == FIELD_COUNT ?
			 json_object_new_int64(field_value(&dev->config, f)) :
			 json_word(word));
	}
	if (ok)
		ok = put_state(o, "rate", dev->rate.state,
			       dev->rate.state == CFG_SET ?
			       rate_json(&dev->rate) : NULL) &&
		     put_state(o, "probe", dev->probe.state,
			       dev->probe.state == CFG_SET ?
			       probe_json(&dev->probe) : NULL);
	if (ok) {
		ports = json_object_new_array();
		ok = put(o, "ports", ports);
	}
	for (i = 0; ok && i < dev->n_ports; i++)
		ok = put(ports, NULL, port_json(&dev->ports[i]));
	return built(o, ok);
}

/* ------------------------------------------------------------------ */
/* What to change */

static bool rate_equal(const struct zec_rate *a, const struct zec_rate *b)
{
	return a->percent == b->percent && a->bps == b->bps &&
	       a->pps == b->pps && a->burst == b->burst && a->mode == b->mode;
}

static int target_cmp(const void *a, const void *b)
{
	const struct zec_probe_target *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(&x->addr, &y->addr, x->family == AF_INET ? 4 : 16);
}

/* p's targets in order: the kernel keeps them as a set (IPv4 first). */
static void targets_sorted(const struct cfg_probe *p,
			   struct zec_probe_target *to)
{
	memcpy(to, p->targets, p->config.n_targets * sizeof(*to));
	qsort(to, p->config.n_targets, sizeof(*to), target_cmp);
}

static bool probe_equal(const struct cfg_probe *a, const struct cfg_probe *b)
{
	const struct zec_probe_config *x = &a->config, *y = &b->config;
	struct zec_probe_target ta[ZEC_PROBE_TARGETS_MAX];
	struct zec_probe_target tb[ZEC_PROBE_TARGETS_MAX];
	size_t i;

	if (x->n_targets != y->n_targets || x->interval_ms != y->interval_ms ||
	    x->miss_count != y->miss_count ||
	    x->recover_count != y->recover_count ||
	    x->damp_count != y->damp_count ||
	    x->damp_window_ms != y->damp_window_ms ||
	    x->damp_hold_ms != y->damp_hold_ms)
		return false;
	targets_sorted(a, ta);
	targets_sorted(b, tb);
	for (i = 0; i < x->n_targets; i++)
		if (target_cmp(&ta[i], &tb[i]))
			return false;
	return true;
}

static struct cfg_step *add_step(struct cfg_plan *plan, enum cfg_step_kind kind,
				 const char *dev, const char *port)
{
	struct cfg_step *s, *bigger;

	if (plan->n == plan->size) {
		plan->size = plan->size ? 2 * plan->size : 16;
		bigger = realloc(plan->steps, plan->size * sizeof(*s));
		if (!bigger)
			abort();
		plan->steps = bigger;
	}
	s = &plan->steps[plan->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->dev = dev;
	s->port = port;
	return s;
}

static void step_text(struct cfg_step *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void step_text(struct cfg_step *s, const char *fmt, ...)
{
	size_t len = strlen(s->text);
	va_list ap;

	if (len >= sizeof(s->text))
		return;
	va_start(ap, fmt);
	vsnprintf(s->text + len, sizeof(s->text) - len, fmt, ap);
	va_end(ap);
}

/* A cap to set or remove, if want says something else than have. */
static void plan_rate(struct cfg_plan *plan, const char *dev,
		      const char *port, const struct cfg_rate *want,
		      const struct cfg_rate *have, bool prune)
{
	enum cfg_state state = want->state;
	struct cfg_step *s;
	char from[160], to[160];

	if (state == CFG_UNSET && prune)
		state = CFG_NONE;
	if (state == CFG_UNSET || (state == have->state &&
				   (state == CFG_NONE ||
				    rate_equal(&want->rate, &have->rate))))
		return;
	s = add_step(plan, state == CFG_SET ? CFG_RATE_SET : CFG_RATE_DEL,
		     dev, port);
	s->rate = want->rate;
	s->rate.sz = sizeof(s->rate);
	rate_words(have, from, sizeof(from));
	rate_words(want, to, sizeof(to));
	if (state == CFG_NONE)
		snprintf(to, sizeof(to), "none");
	step_text(s, "%s: %s%s%srate %s -> %s", dev, port ? "port " : "",
		  port ? port : "", port ? " " : "", from, to);
}

static void plan_ports(struct cfg_plan *plan, const struct cfg_dev *want,
		       const struct cfg_dev *have, bool prune)
{
	static const struct cfg_rate none = { .state = CFG_NONE };
	const struct cfg_port *w, *h;
	struct cfg_step *s;
	char from[16], to[16];
	size_t i;

	for (i = 0; i < want->n_ports; i++) {
		w = &want->ports[i];
		h = have ? cfg_find_port(have, w->name) : NULL;
		if (!h) {
			s = add_step(plan, CFG_PORT_ADD, want->name, w->name);
			s->port_config = w->config;
			/* a port added has no override: "auto" is no change */
			if (w->config.node == ZEC_NODE_NONE)
				s->port_config.set &= ~(unsigned int)ZEC_PORT_SET_NODE;
			step_text(s, "%s: port %s added", want->name, w->name);
			if (s->port_config.set & ZEC_PORT_SET_NODE) {
				node_word(w->config.node, to, sizeof(to));
				step_text(s, ", node %s", to);
			}
			if (w->config.set & ZEC_PORT_SET_ENABLED)
				step_text(s, ", enable %s",
					  w->config.enabled ? "on" : "off");
			plan_rate(plan, want->name, w->name, &w->rate, &none,
				  prune);
			continue;
		}
		if ((w->config.set & ZEC_PORT_SET_NODE) &&
		    w->config.node != h->config.node) {
			s = add_step(plan, CFG_PORT_SET, want->name, w->name);
			s->port_config.set = ZEC_PORT_SET_NODE;
			s->port_config.node = w->config.node;
			node_word(h->config.node, from, sizeof(from));
			node_word(w->config.node, to, sizeof(to));
			step_text(s, "%s: port %s node %s -> %s", want->name,
				  w->name, from, to);
		}
		if ((w->config.set & ZEC_PORT_SET_ENABLED) &&
		    w->config.enabled != h->config.enabled) {
			s = add_step(plan, CFG_PORT_SET, want->name, w->name);
			s->port_config.set = ZEC_PORT_SET_ENABLED;
			s->port_config.enabled = w->config.enabled;
			step_text(s, "%s: port %s enable %s -> %s", want->name,
				  w->name, h->config.enabled ? "on" : "off",
				  w->config.enabled ? "on" : "off");
		}
		plan_rate(plan, want->name, w->name, &w->rate, &h->rate,
			  prune);
	}
}

static void plan_settings(struct cfg_plan *plan, const struct cfg_dev *want,
			  const struct cfg_dev *have)
{
	const struct dev_field *f;
	struct cfg_step *s = NULL;
	char from[32], to[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dev_fields); i++) {
		f = &dev_fields[i];
		if (!(want->config.set & f->bit))
			continue;
		field_word(f, want, to, sizeof(to));
		if (have) {
			field_word(f, have, from, sizeof(from));
			if ((have->config.set & f->bit) && !strcmp(from, to))
				continue;
		}
		if (!s) {
			s = add_step(plan, CFG_DEV_SET, want->name, NULL);
			s->rx_port = want->rx_port;
		}
		s->dev_config.set |= f->bit;
		*field_of(&s->dev_config, f) = field_value(&want->config, f);
		step_text(s, "%s%s: %s %s%s%s", s->text[0] ? "\n" : "",
			  want->name, f->key, have ? from : "",
			  have ? " -> " : "", to);
	}
}

void cfg_plan_device(struct cfg_plan *plan, const struct cfg_dev *want,
		     const struct cfg_dev *have, bool prune)
{
	static const struct cfg_dev none = {
		.rate.state = CFG_NONE, .probe.state = CFG_NONE,
	};
	enum cfg_state probe = want->probe.state;
	const struct cfg_probe *had;
	struct cfg_step *s;
	char from[512], to[512];

	if (!have) {
		s = add_step(plan, CFG_LINK_ADD, want->name, NULL);
		step_text(s, "%s: device added", want->name);
	}
	/* the ports first: the receive port must be one */
	plan_ports(plan, want, have, prune);
	plan_settings(plan, want, have);
	plan_rate(plan, want->name, NULL, &want->rate,
		  have ? &have->rate : &none.rate, prune);
	if (probe == CFG_UNSET && prune)
		probe = CFG_NONE;
	had = have ? &have->probe : &none.probe;
	if (probe == CFG_UNSET || (probe == had->state &&
				   (probe == CFG_NONE ||
				    probe_equal(&want->probe, had))))
		return;
	s = add_step(plan, probe == CFG_SET ? CFG_PROBE_SET : CFG_PROBE_DEL,
		     want->name, NULL);
	s->probe = &want->probe;
	probe_words(had, from, sizeof(from));
	probe_words(&want->probe, to, sizeof(to));
	if (probe == CFG_NONE)
		snprintf(to, sizeof(to), "none");
	step_text(s, "%s: probe %s -> %s", want->name, from, to);
}

void cfg_plan_prune(struct cfg_plan *plan, const struct cfg_dev *want,
		    const struct cfg_dev *have)
{
	struct cfg_step *s;
	size_t i;

	if (!want) {
		s = add_step(plan, CFG_LINK_DEL, have->name, NULL);
		step_text(s, "%s: device removed", have->name);
		return;
	}
	for (i = 0; i < have->n_ports; i++) {
		if (cfg_find_port(want, have->ports[i].name))
			continue;
		s = add_step(plan, CFG_PORT_DEL, have->name,
			     have->ports[i].name);
		step_text(s, "%s: port %s removed", have->name,
			  have->ports[i].name);
	}
}

void cfg_plan_free(struct cfg_plan *plan)
{
	free(plan->steps);
	memset(plan, 0, sizeof(*plan));
}
