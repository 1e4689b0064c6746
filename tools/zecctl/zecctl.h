/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zecctl: command line parsed into a request first, executed second, so
 * that the parser can be tested without a kernel.
 */
#ifndef ZECCTL_H
#define ZECCTL_H

#include <stdbool.h>
#include <net/if.h>
#include <zec/zec.h>

#include "out.h"

enum zecctl_cmd {
	ZECCTL_SHOW,
	ZECCTL_STATS,
	ZECCTL_STATS_PROMETHEUS,	/* stats -o prometheus (prometheus.c) */
	ZECCTL_MONITOR,
	ZECCTL_TOPOLOGY,
	ZECCTL_LINK_ADD,
	ZECCTL_LINK_DEL,
	ZECCTL_PORT_ADD,
	ZECCTL_PORT_DEL,
	ZECCTL_PORT_SET,
	ZECCTL_DEV_SET,
	ZECCTL_RATE_SET,
	ZECCTL_RATE_DEL,
	ZECCTL_PROBE_SET,
	ZECCTL_PROBE_DEL,
	ZECCTL_VF_LIST,
	ZECCTL_VF_PICK,
	ZECCTL_VF_RELEASE,
	ZECCTL_VHOST_CPUS,
	ZECCTL_MACS,
	ZECCTL_APPLY,				/* config.c */
	ZECCTL_DUMP_CONFIG,
	ZECCTL_HELP,
};

struct zecctl_object;
struct zecctl_config;

struct zecctl_req {
	enum zecctl_cmd cmd;
	const struct zecctl_object *object;	/* NULL: bare "zecctl" */
	bool json;
	bool pretty;
	bool timestamp;				/* -t: wall clock per event */
	const char *format;			/* -o FORMAT, for stats */
	bool version;				/* -V */
	const char *netns;			/* -n NETNS */
	const char *file;			/* apply -f FILE */
	bool prune;				/* apply --prune */
	const char *batch;			/* -b FILE (batch.c) */
	struct zecctl_config *config;		/* apply: FILE, checked */
	const char *dev;			/* zec device, NULL for all */
	const char *port;
	struct zec_port_config port_config;
	struct zec_dev_config dev_config;
	const char *rx_port;			/* dev set rxport DEV; "auto" */
	struct zec_rate rate;
	/* what the RATE word was: a percentage, with a fallback or not */
	enum { ZECCTL_RATE_NONE, ZECCTL_RATE_PERCENT, ZECCTL_RATE_BPS } rate_given;
	bool rate_fallback;			/* "fallback RATE" given */
	struct zec_probe_config probe_config;	/* its targets: the next */
	struct zec_probe_target probe_targets[ZEC_PROBE_TARGETS_MAX];
	uint32_t vf_node;			/* vf pick node N */
	bool vf_node_given;
	const char *cpus;			/* vf pick, vhost cpus */
	const char *pci;			/* vf release */
	uint32_t vf_owner;			/* pid PID; 0 if not given */
	char error[320];			/* why parsing or running failed */
};

struct zecctl_object {
	const char *name;
	/* argv starts after the object's name */
	int (*parse)(int argc, char **argv, struct zecctl_req *req);
	int (*run)(struct zec_handle *h, struct zecctl_req *req,
		   struct out *o);
	const char *usage;
};

extern const struct zecctl_object link_object, port_object, dev_object,
	show_object, stats_object, monitor_object, topology_object,
	rate_object, probe_object, vf_object, vhost_object, macs_object,
	apply_object, dump_config_object;

/* What apply's parser read (config.c); NULL is fine. */
void zecctl_config_free(struct zecctl_config *config);

/* zecctl's exit status, as ip(8)'s: 0, or */
enum {
	EXIT_USAGE = 1,		/* a command line refused, nothing sent */
	EXIT_FAILED = 2,	/* a command that failed when run */
};

/* Prints why req failed, as "Error: ..." on stderr (batch.c). */
void zecctl_report(const struct zec_handle *h, const struct zecctl_req *req,
		   int err);
/* After a call that succeeded: the kernel's warning, if any (batch.c). */
void zecctl_warn(const struct zec_handle *h);
/*
 * req, as zecctl_parse() left it with err: refused, its help printed, or
 * run on *h (opened if NULL), any error reported; req's file freed. Its
 * exit status (batch.c: the command line's, and each line of -b FILE).
 */
int zecctl_run(struct zec_handle **h, struct zecctl_req *req, int err);
/*
 * -b FILE: one command per line; the exit status of the first that
 * fails, or 0 (batch.c). *h is opened at the first command that runs.
 */
int zecctl_batch(struct zec_handle **h, const struct zecctl_req *req);

/*
 * Whole command line, argv[0] included; -EINVAL with req->error set.
 * Reorders argv: the options, wherever they were, are taken out of it.
 */
int zecctl_parse(int argc, char **argv, struct zecctl_req *req);
void zecctl_usage(FILE *fp, const struct zecctl_object *object);

/* Helpers for the object parsers; all return 0 or -EINVAL with an error. */
int zecctl_invalid(struct zecctl_req *req, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int zecctl_parse_u32(struct zecctl_req *req, const char *word, uint32_t max,
		     uint32_t *value);
/* A count from min to max; the error names what. */
int zecctl_parse_count(struct zecctl_req *req, const char *what,
		       const char *value, uint32_t min, uint32_t max,
		       uint32_t *count);
/* A unit of zecctl_parse_scaled(): its name and what one of it is worth. */
struct zecctl_unit {
	const char *name;
	uint64_t scale;
};

/*
 * "DIGITS[.DIGITS]UNIT" into *value, units matched regardless of case as
 * tc(8) does ("" for none); -EINVAL for anything else and for a fraction
 * of the smallest unit (1.5bit), -ERANGE above UINT64_MAX.
 */
int zecctl_parse_scaled(const char *word, const struct zecctl_unit *units,
			size_t n_units, uint64_t *value);
/*
 * A time from min to max ms, as every time-valued keyword takes it: a
 * bare number of milliseconds or a number with a unit of tc(8)'s, us, ms
 * or s (usec, msec, sec...), decimals allowed; a whole number of ms.
 */
int zecctl_parse_time(struct zecctl_req *req, const char *what,
		      const char *word, uint32_t min, uint32_t max,
		      uint32_t *ms);
/* Sets *name to word if it is a valid interface name, else complains. */
int zecctl_ifname(struct zecctl_req *req, const char *what, const char *word,
		  const char **name);
/* Parses NAME into *name if argv holds exactly one, else complains. */
int zecctl_one_name(struct zecctl_req *req, int argc, char **argv,
		    const char *what, const char **name);

/* "[NAME]": a device or, without, all of them (req->dev NULL). */
int zecctl_parse_optional_dev(int argc, char **argv, struct zecctl_req *req,
			      enum zecctl_cmd cmd);
/* One named device or all, with or without counters (show.c). */
int zecctl_get_devices(struct zec_handle *h, const char *name, bool stats,
		       struct zec_device ***devs, size_t *n);

/* For objects that take no arguments but "help". */
int zecctl_parse_no_args(int argc, char **argv, struct zecctl_req *req,
			 enum zecctl_cmd cmd);

/* The COMMAND word of an OBJECT that has several. */
struct zecctl_subcommand {
	const char *name;
	enum zecctl_cmd cmd;
};

int zecctl_parse_subcommand(struct zecctl_req *req, const char *object,
			    const char *word,
			    const struct zecctl_subcommand *subs, size_t n);

/*
 * "KEYWORD VALUE" pairs after the command, in any order, each at most once
 * unless it repeats.
 */
struct zecctl_option {
	/* NULL: takes, alone, a word that no other keyword names */
	const char *keyword;
	int (*parse)(struct zecctl_req *req, const char *value);
	bool repeat;				/* "target A target B" */
};

int zecctl_parse_options(struct zecctl_req *req, int argc, char **argv,
			 const struct zecctl_option *options, size_t n);

/* Names of enum values, for output and for parsing keywords. */
const char *zecctl_mode_name(uint32_t mode);
int zecctl_mode_parse(const char *word, uint32_t *mode);
const char *zecctl_rate_mode_name(uint32_t mode);
int zecctl_rate_mode_parse(const char *word, uint32_t *mode);
const char *zecctl_select_name(uint32_t select);
const char *zecctl_reason_name(uint32_t reason);
/* Comma-separated names of ZEC_PORT_DOWN_* bits, "" for none. */
void zecctl_down_reasons(uint32_t bits, char *buf, size_t size);
/* "0-3,8,10-11" from ascending cpus; truncated with "..." if too long. */
void zecctl_cpulist(const unsigned int *cpus, size_t n, char *buf,
		    size_t size);

/* bit/s as the largest unit of tc's that divides it, as "9gbit". */
void zecctl_format_bps(uint64_t bps, char *buf, size_t size);
/* A probe target's address, "?" if it has none (print.c). */
void zecctl_format_target(const struct zec_probe_target *t, char *buf,
			  size_t size);
/* A port's or the device's rate cap, text and JSON (rate.c). */
void zecctl_print_rate(struct out *o, const struct zec_rate *rate,
		       bool port);

/* Output shared by show and topology (print.c). */
/* Name of a port of dev by ifindex, or its number in buf. */
const char *zecctl_port_name(const struct zec_device *dev, uint32_t ifindex,
			     char *buf, size_t size);
/* The port(s) serving node, and why. */
/* A port's ZEC_PORT_DOWN_* bits: a JSON array, " (a,b)" in text. */
void zecctl_print_down_reasons(struct out *o, uint32_t bits);
void zecctl_print_serving(struct out *o, const struct zec_device *dev,
			  const struct zec_node *node);
/* The probe configuration, as "zecctl probe set" takes it. */
void zecctl_print_probe(struct out *o, const struct zec_probe_config *probe);
/* A device's probe configuration and the rounds it could not send. */
void zecctl_print_dev_probe(struct out *o, const struct zec_device *dev);
/* A port's probe misses and the age of its last reply. */
void zecctl_print_port_probe(struct out *o, const struct zec_port *port);
/*
 * A netdev by ifindex: its name (JSON string), or none_text (JSON null)
 * for 0; after label in text.
 */
void zecctl_print_ifindex(struct out *o, const char *key, const char *label,
			  uint32_t ifindex, const char *none_text);
/*
 * Independent mode's settings, as "dev set" takes them; with dev, the
 * active receive port and the number of MACs too. Nothing from a kernel
 * without them.
 */
void zecctl_print_rx_config(struct out *o, const struct zec_dev_config *c,
			    const struct zec_device *dev);
/*
 * One line of "zecctl monitor"; nothing for a type it does not know.
 * time, if not NULL, first ("time" in JSON).
 */
void zecctl_print_event(struct out *o, const struct zec_event *ev,
			const char *time);
/* A wall-clock time, local, as 2026-12-05T08:23:08.123456+0100. */
struct timespec;
void zecctl_format_time(const struct timespec *ts, char *buf, size_t size);
/* "zecctl macs": the MACs of dev (macs.c). */
struct zec_mac_list;
void zecctl_print_macs(struct out *o, const struct zec_device *dev,
		       const struct zec_mac_list *list);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* ZECCTL_H */
