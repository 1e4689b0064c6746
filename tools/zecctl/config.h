/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The configuration file of "zecctl apply" and "zecctl dump-config"
 * (config.c), read into the settings it names, and the steps that bring
 * the running state to it; apply.c runs them.
 */
#ifndef ZECCTL_CONFIG_H
#define ZECCTL_CONFIG_H

#include "zecctl.h"

#define CFG_PATH_SIZE 96

/* A cap or the probes: not in the file, null, or given. */
enum cfg_state { CFG_UNSET, CFG_NONE, CFG_SET };

struct cfg_rate {
	enum cfg_state state;
	struct zec_rate rate;
};

struct cfg_probe {
	enum cfg_state state;
	struct zec_probe_config config;		/* targets: the next */
	struct zec_probe_target targets[ZEC_PROBE_TARGETS_MAX];
};

struct cfg_port {
	const char *name;
	struct zec_port_config config;		/* set: the keys given */
	struct cfg_rate rate;
	char path[CFG_PATH_SIZE];		/* "devices[0].ports[1]" */
};

struct cfg_dev {
	const char *name;
	struct zec_dev_config config;		/* set: the keys given */
	char rx_port[IF_NAMESIZE];		/* "" for auto */
	struct cfg_rate rate;
	struct cfg_probe probe;
	bool ports_given;
	size_t n_ports;
	struct cfg_port *ports;
	char path[CFG_PATH_SIZE];
};

struct zecctl_config {
	const char *file;			/* as named in errors */
	char *text;
	struct json_object *root;		/* the names point into it */
	size_t n_devs;
	struct cfg_dev *devs;
};

#define CFG_FILE_MAX (16 << 20)

/* FILE's text ("-": stdin), up to CFG_FILE_MAX bytes; free it. */
int cfg_read_file(struct zecctl_req *req, const char *file, char **text);
/*
 * Parses and checks text, the contents of file ("-": stdin); -EINVAL
 * with req->error as "FILE:LINE: PATH: why".
 */
int cfg_read(struct zecctl_req *req, const char *file, const char *text,
	     struct zecctl_config **config);
void cfg_free(struct zecctl_config *config);
/* -EINVAL with req->error "FILE:LINE: PATH: why", LINE where PATH is. */
int cfg_error(struct zecctl_req *req, const struct zecctl_config *cfg,
	      const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
struct cfg_port *cfg_find_port(const struct cfg_dev *dev, const char *name);

/* dev as a file would describe it; free to->ports. */
int cfg_from_device(const struct zec_device *dev, struct cfg_dev *to);
/* The device's object in dump-config's document; NULL: no memory. */
struct json_object *cfg_device_json(const struct cfg_dev *dev);

enum cfg_step_kind {
	CFG_LINK_ADD, CFG_LINK_DEL, CFG_PORT_ADD, CFG_PORT_DEL, CFG_PORT_SET,
	CFG_DEV_SET, CFG_RATE_SET, CFG_RATE_DEL, CFG_PROBE_SET,
	CFG_PROBE_DEL,
};

/* One request, and its report: "zec0: mode lag -> independent". */
struct cfg_step {
	enum cfg_step_kind kind;
	const char *dev;
	const char *port;			/* or NULL */
	struct zec_port_config port_config;
	struct zec_dev_config dev_config;
	const char *rx_port;			/* DEV_SET: its name, "" auto */
	struct zec_rate rate;
	const struct cfg_probe *probe;
	char text[512];				/* lines */
};

struct cfg_plan {
	size_t n, size;
	struct cfg_step *steps;
};

/*
 * The steps from have (NULL: no such device yet) to want; with prune,
 * a cap or probes the file leaves out are removed.
 */
void cfg_plan_device(struct cfg_plan *plan, const struct cfg_dev *want,
		     const struct cfg_dev *have, bool prune);
/* --prune: have's ports want does not list, or have itself if no want. */
void cfg_plan_prune(struct cfg_plan *plan, const struct cfg_dev *want,
		    const struct cfg_dev *have);
void cfg_plan_free(struct cfg_plan *plan);

#endif /* ZECCTL_CONFIG_H */
