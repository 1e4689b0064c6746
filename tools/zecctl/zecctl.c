// SPDX-License-Identifier: GPL-2.0-only
/*
 * Global options, the object table and the parsing helpers every object
 * uses: keywords match exactly, and every error names the offending word.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zecctl.h"

static const struct zecctl_object *const objects[] = {
	&show_object, &stats_object, &macs_object, &link_object, &port_object,
	&dev_object, &monitor_object, &topology_object, &rate_object,
	&probe_object, &vf_object, &vhost_object, &apply_object,
	&dump_config_object,
};

#define N_OBJECTS ARRAY_SIZE(objects)

void zecctl_usage(FILE *fp, const struct zecctl_object *object)
{
	size_t i;

	if (object) {
		fprintf(fp, "Usage: %s\n", object->usage);
		return;
	}
	fprintf(fp, "Usage: zecctl [ OPTIONS ] OBJECT COMMAND ...\n"
		    "       zecctl [ OPTIONS ]  show every zec device\n"
		    "       zecctl [ OPTIONS ] -b FILE  commands from FILE, one a line\n");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(fp, "       %s\n", objects[i]->usage);
	fprintf(fp, "Options (anywhere, up to \"--\"): -j JSON output, -p pretty JSON,\n"
		    "  -t timestamps (monitor), -n NETNS in network namespace NETNS (ip netns),\n"
		    "  -f FILE (apply), --prune (apply), -b FILE batch (- for stdin),\n"
		    "  -V version, -h help\n"
		    "Exit status: 0 success, 1 usage error (nothing sent), 2 the command failed\n");
}

int zecctl_invalid(struct zecctl_req *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->error, sizeof(req->error), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int zecctl_parse_u32(struct zecctl_req *req, const char *word, uint32_t max,
		     uint32_t *value)
{
	unsigned long long parsed;
	char *end;

	/* strtoull would accept signs, spaces and hex: we want digits only */
	if (!word[0] || strspn(word, "0123456789") != strlen(word))
		goto invalid;
	errno = 0;
	parsed = strtoull(word, &end, 10);
	if (errno || parsed > max)
		goto invalid;
	*value = (uint32_t)parsed;
	return 0;
invalid:
	return zecctl_invalid(req, "invalid argument \"%s\": expected a number from 0 to %u",
			      word, max);
}

int zecctl_parse_count(struct zecctl_req *req, const char *what,
		       const char *value, uint32_t min, uint32_t max,
		       uint32_t *count)
{
	if (zecctl_parse_u32(req, value, max, count) || *count < min)
		return zecctl_invalid(req, "invalid %s \"%s\": expected %u to %u",
				      what, value, min, max);
	return 0;
}

int zecctl_parse_scaled(const char *word, const struct zecctl_unit *units,
			size_t n_units, uint64_t *value)
{
	size_t digits = strspn(word, "0123456789"), frac = 0, i, u;
	const char *unit = word + digits;
	unsigned __int128 num = 0, div = 1, scaled;

	if (!digits)
		return -EINVAL;
	if (*unit == '.') {
		frac = strspn(unit + 1, "0123456789");
		if (!frac || frac > 18)
			return -EINVAL;
		unit += 1 + frac;
	}
	for (u = 0; u < n_units && strcasecmp(unit, units[u].name); u++)
		;
	if (u == n_units)
		return -EINVAL;
	/* DIGITS.DIGITS as num / div exactly; num < 2^64 * 10^18 < 2^124 */
	for (i = 0; i < digits; i++) {
		num = num * 10 + (unsigned int)(word[i] - '0');
		if (num > UINT64_MAX)	/* and so is the value: scales >= 1 */
			return -ERANGE;
	}
	for (i = digits + 1; i <= digits + frac; i++) {
		num = num * 10 + (unsigned int)(word[i] - '0');
		div *= 10;
	}
	if (num > (unsigned __int128)-1 / units[u].scale)
		return -ERANGE;
	scaled = num * units[u].scale;
	if (scaled % div)
		return -EINVAL;
	if (scaled / div > UINT64_MAX)
		return -ERANGE;
	*value = (uint64_t)(scaled / div);
	return 0;
}

/* In microseconds: a bare number is milliseconds. */
static const struct zecctl_unit time_units[] = {
	{ "", 1000 }, { "us", 1 }, { "usec", 1 }, { "usecs", 1 },
	{ "ms", 1000 }, { "msec", 1000 }, { "msecs", 1000 },
	{ "s", 1000000 }, { "sec", 1000000 }, { "secs", 1000000 },
};

int zecctl_parse_time(struct zecctl_req *req, const char *what,
		      const char *word, uint32_t min, uint32_t max,
		      uint32_t *ms)
{
	uint64_t us;
	int err = zecctl_parse_scaled(word, time_units, ARRAY_SIZE(time_units),
				      &us);

	if (!err && us % 1000)
		return zecctl_invalid(req, "invalid %s \"%s\": not a whole number of milliseconds",
				      what, word);
	if (err || us / 1000 < min || us / 1000 > max)
		return zecctl_invalid(req, "invalid %s \"%s\": expected %ums to %ums, e.g. 20ms or 2s",
				      what, word, min, max);
	*ms = (uint32_t)(us / 1000);
	return 0;
}

int zecctl_ifname(struct zecctl_req *req, const char *what, const char *word,
		  const char **name)
{
	if (!word[0] || strlen(word) >= IF_NAMESIZE)
		return zecctl_invalid(req, "invalid %s name \"%s\"", what,
				      word);
	*name = word;
	return 0;
}

int zecctl_one_name(struct zecctl_req *req, int argc, char **argv,
		    const char *what, const char **name)
{
	if (argc < 1)
		return zecctl_invalid(req, "missing %s name", what);
	if (argc > 1)
		return zecctl_invalid(req, "unexpected argument \"%s\"",
				      argv[1]);
	return zecctl_ifname(req, what, argv[0], name);
}

int zecctl_parse_subcommand(struct zecctl_req *req, const char *object,
			    const char *word,
			    const struct zecctl_subcommand *subs, size_t n)
{
	size_t i;

	if (!word)
		return zecctl_invalid(req, "missing command for \"%s\", try \"zecctl %s help\"",
				      object, object);
	for (i = 0; i < n; i++) {
		if (!strcmp(word, subs[i].name)) {
			req->cmd = subs[i].cmd;
			return 0;
		}
	}
	return zecctl_invalid(req, "unknown command \"%s\" for \"%s\", try \"zecctl %s help\"",
			      word, object, object);
}

/* The option word names, else the one without keyword, if any. */
static const struct zecctl_option *
find_option(const char *word, const struct zecctl_option *options, size_t n)
{
	const struct zecctl_option *bare = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!options[i].keyword)
			bare = &options[i];
		else if (!strcmp(word, options[i].keyword))
			return &options[i];
	}
	return bare;
}

int zecctl_parse_options(struct zecctl_req *req, int argc, char **argv,
			 const struct zecctl_option *options, size_t n)
{
	const struct zecctl_option *option;
	uint64_t seen = 0, bit;	/* by index: tables hold a dozen at most */
	int i, err;

	for (i = 0; i < argc; i++) {
		option = find_option(argv[i], options, n);
		if (!option)
			return zecctl_invalid(req, "unknown argument \"%s\"",
					      argv[i]);
		bit = 1ULL << (option - options);
		if ((seen & bit) && !option->repeat)
			return option->keyword ?
				zecctl_invalid(req, "\"%s\" given twice: give it once",
					       argv[i]) :
				zecctl_invalid(req, "unexpected argument \"%s\"",
					       argv[i]);
		seen |= bit;
		if (option->keyword && i + 1 == argc)
			return zecctl_invalid(req, "\"%s\" needs a value",
					      argv[i]);
		if (option->keyword)
			i++;
		err = option->parse(req, argv[i]);
		if (err)
			return err;
	}
	return 0;
}

int zecctl_parse_no_args(int argc, char **argv, struct zecctl_req *req,
			 enum zecctl_cmd cmd)
{
	req->cmd = cmd;
	if (argc)
		return zecctl_invalid(req, "unexpected argument \"%s\"",
				      argv[0]);
	return 0;
}

static const struct zecctl_object *find_object(const char *name)
{
	size_t i;

	for (i = 0; i < N_OBJECTS; i++)
		if (!strcmp(objects[i]->name, name))
			return objects[i];
	return NULL;
}

/* "help" after OBJECT, anywhere: its usage, whatever else the line holds. */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			return true;
	return false;
}

/* "-n NETNS": a name of ip netns, a file in /run/netns. */
static int parse_netns(struct zecctl_req *req, const char *name)
{
	if (!name)
		return zecctl_invalid(req, "option \"-n\" needs a network namespace name");
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 255)
		return zecctl_invalid(req, "invalid network namespace name \"%s\"",
				      name);
	req->netns = name;
	return 0;
}

/*
 * The options, wherever they are on the line (up to "--"), taken out of
 * argv: what is left are OBJECT and its arguments. The new argc.
 * A negative number is no option.
 */
static int parse_global_options(int argc, char **argv,
				struct zecctl_req *req)
{
	bool options = true;
	int i, n = 1, err;
	const char *o;

	for (i = 1; i < argc; i++) {
		o = argv[i];
		if (options && !strcmp(o, "--")) {
			options = false;
			continue;
		}
		/* "-1" is a value, for the keyword before it to refuse */
		if (!options || o[0] != '-' || isdigit((unsigned char)o[1])) {
			argv[n++] = argv[i];
			continue;
		}
		if (!strcmp(o, "-j")) {
			req->json = true;
		} else if (!strcmp(o, "-p")) {
			req->pretty = true;
		} else if (!strcmp(o, "-t")) {
			req->timestamp = true;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			req->cmd = ZECCTL_HELP;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			req->version = true;
		} else if (!strcmp(o, "-o")) {
			req->format = i + 1 < argc ? argv[++i] : NULL;
			if (!req->format)
				return zecctl_invalid(req, "option \"-o\" needs a format");
		} else if (!strcmp(o, "-f") || !strcmp(o, "-b")) {
			if (i + 1 == argc)
				return zecctl_invalid(req, "option \"%s\" needs a file (- for stdin)",
						      o);
			*(o[1] == 'f' ? &req->file : &req->batch) = argv[++i];
		} else if (!strcmp(o, "--prune")) {
			req->prune = true;
		} else if (!strcmp(o, "-n")) {
			err = parse_netns(req, i + 1 < argc ? argv[++i] : NULL);
			if (err)
				return err;
		} else {
			return zecctl_invalid(req, "unknown option \"%s\", try \"zecctl help\"",
					      o);
		}
	}
	argv[n] = NULL;
	if (req->pretty && !req->json)
		return zecctl_invalid(req, "option \"-p\" needs \"-j\"");
	return n;
}

int zecctl_parse(int argc, char **argv, struct zecctl_req *req)
{
	bool help;
	int i = 1;

	memset(req, 0, sizeof(*req));
	req->rate.sz = sizeof(req->rate);
	req->probe_config.sz = sizeof(req->probe_config);
	req->probe_config.targets = req->probe_targets;
	argc = parse_global_options(argc, argv, req);
	if (argc < 0)
		return argc;
	if (req->cmd == ZECCTL_HELP || req->version)
		return 0;
	if (req->batch && i != argc)
		return zecctl_invalid(req, "option \"-b\" takes no command: the commands are FILE's lines");
	/* each line's own: given with -b they would be lost */
	if (req->batch && (req->file || req->prune || req->timestamp ||
			   req->format))
		return zecctl_invalid(req, "options -f, --prune, -t and -o go on a line of the batch file, not with \"-b\"");
	if (req->batch)
		return 0;
	if (i == argc) {
		req->cmd = ZECCTL_SHOW;
		req->object = &show_object;
		return 0;
	}
	/* "help" alone: every object's usage; "help OBJECT": that one's */
	help = !strcmp(argv[i], "help");
	if (help && ++i == argc) {
		req->cmd = ZECCTL_HELP;
		return 0;
	}
	req->object = find_object(argv[i]);
	if (!req->object)
		return zecctl_invalid(req, "unknown object \"%s\", try \"zecctl help\"",
				      argv[i]);
	if (help || wants_help(argc - i - 1, argv + i + 1)) {
		req->cmd = ZECCTL_HELP;
		return 0;
	}
	if (req->timestamp && req->object != &monitor_object)
		return zecctl_invalid(req, "option \"-t\" is for \"monitor\" only");
	if (req->format && req->object != &stats_object)
		return zecctl_invalid(req, "option \"-o\" is for \"stats\" only");
	if ((req->file || req->prune) && req->object != &apply_object)
		return zecctl_invalid(req, "options \"-f\" and \"--prune\" are for \"apply\" only");
	return req->object->parse(argc - i - 1, argv + i + 1, req);
}
