// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl vf list
 * zecctl vf pick { node N | cpus LIST } [dev NAME] pid PID
 * zecctl vf release PCI_ADDR [pid PID]
 * zecctl vhost cpus LIST [dev NAME]
 *
 * From sysfs ($ZEC_SYSFS_ROOT, else /sys), reservations in $ZEC_RUN_DIR
 * (else /run/zec/vf); they work without the zec module.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "zecctl.h"

static int parse_node(struct zecctl_req *req, const char *value)
{
	if (zecctl_parse_u32(req, value, ZEC_NODE_ID_MAX, &req->vf_node))
		return zecctl_invalid(req, "invalid argument \"%s\": expected node 0 to %u",
				      value, ZEC_NODE_ID_MAX);
	req->vf_node_given = true;
	return 0;
}

/* The kernel's list syntax is the library's to check; refuse junk here. */
static int parse_cpus(struct zecctl_req *req, const char *value)
{
	if (!value[0] || strspn(value, "0123456789,-") != strlen(value))
		return zecctl_invalid(req, "invalid CPU list \"%s\": expected e.g. 0-3,8",
				      value);
	req->cpus = value;
	return 0;
}

static int parse_dev(struct zecctl_req *req, const char *value)
{
	return zecctl_ifname(req, "device", value, &req->dev);
}

static int parse_pid(struct zecctl_req *req, const char *value)
{
	if (zecctl_parse_u32(req, value, INT_MAX, &req->vf_owner) ||
	    !req->vf_owner)
		return zecctl_invalid(req, "invalid pid \"%s\"", value);
	return 0;
}

/* DOMAIN:BUS:DEVICE.FUNCTION in hex, as sysfs names PCI functions. */
static bool valid_pci_addr(const char *s)
{
	static const char shape[] = "xxxx:xx:xx.x";
	size_t i, len = strlen(s), extra;

	/* domains may be longer than four digits (VMD: 10000) */
	if (len < sizeof(shape) - 1 || len > sizeof(shape) + 3)
		return false;
	extra = len - (sizeof(shape) - 1);
	for (i = 0; i < len; i++) {
		char want = i < extra ? 'x' : shape[i - extra];

		if (want == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != want)
			return false;
	}
	return s[len - 1] <= '7';
}

static const struct zecctl_option pick_options[] = {
	{ "node", parse_node, false },
	{ "cpus", parse_cpus, false },
	{ "dev", parse_dev, false },
	{ "pid", parse_pid, false },
};

static const struct zecctl_option release_options[] = {
	{ "pid", parse_pid, false },
};

static const struct zecctl_subcommand vf_commands[] = {
	{ "list", ZECCTL_VF_LIST },
	{ "pick", ZECCTL_VF_PICK },
	{ "release", ZECCTL_VF_RELEASE },
};

static int vf_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	err = zecctl_parse_subcommand(req, "vf", argc ? argv[0] : NULL,
				      vf_commands, ARRAY_SIZE(vf_commands));
	if (err)
		return err;
	argc--;
	argv++;
	switch (req->cmd) {
	case ZECCTL_VF_LIST:
		if (argc)
			return zecctl_invalid(req, "unexpected argument \"%s\"",
					      argv[0]);
		return 0;
	case ZECCTL_VF_PICK:
		err = zecctl_parse_options(req, argc, argv, pick_options,
					   ARRAY_SIZE(pick_options));
		if (err)
			return err;
		if (req->vf_node_given == !!req->cpus)
			return zecctl_invalid(req, "\"vf pick\" needs either \"node N\" or \"cpus LIST\"");
		/* zecctl's parent may be sudo or a subshell: gone at once */
		if (!req->vf_owner)
			return zecctl_invalid(req, "\"vf pick\" needs \"pid PID\": the reservation lasts as long as process PID (zecctl exits at once, and so may its parent)");
		return 0;
	default:
		if (!argc)
			return zecctl_invalid(req, "missing PCI address");
		if (!valid_pci_addr(argv[0]))
			return zecctl_invalid(req, "invalid PCI address \"%s\": expected e.g. 0000:03:10.0",
					      argv[0]);
		req->pci = argv[0];
		return zecctl_parse_options(req, argc - 1, argv + 1,
					    release_options,
					    ARRAY_SIZE(release_options));
	}
}

static void print_node(struct out *o, const char *key, const char *fmt,
		       int node)
{
	if (node < 0)
		out_null(o, key, " node unknown");
	else
		out_uint(o, key, fmt, (unsigned int)node);
}

/* What the PF gives the VF, if zecctl could ask. */
static void print_link_info(struct out *o, const struct zec_vf *vf)
{
	const uint8_t *m = zec_vf_mac(vf);
	char mac[18];

	if (m) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		out_string(o, "mac", " mac %s", mac);
	} else {
		out_null(o, "mac", NULL);
	}
	if (zec_vf_vlan(vf) > 0)
		out_uint(o, "vlan", " vlan %llu", (unsigned int)zec_vf_vlan(vf));
	else if (zec_vf_vlan(vf) == 0)
		out_uint(o, "vlan", NULL, 0);
	else
		out_null(o, "vlan", NULL);
}

static void print_vf(struct out *o, const struct zec_vf *vf)
{
	const char *driver = zec_vf_driver(vf), *ifname = zec_vf_ifname(vf);

	out_string(o, "pci", "%s", zec_vf_pci_addr(vf));
	out_uint(o, "vf", " vf %llu", zec_vf_index(vf));
	print_node(o, "node", " node %llu", zec_vf_node(vf));
	if (driver)
		out_string(o, "driver", " driver %s", driver);
	else
		out_null(o, "driver", " driver none");
	if (ifname)
		out_string(o, "ifname", " dev %s", ifname);
	else
		out_null(o, "ifname", NULL);
	print_link_info(o, vf);
	out_bool(o, "in_use", NULL, zec_vf_in_use(vf));
	if (zec_vf_owner(vf))
		out_uint(o, "owner", " in use by pid %llu",
			 (unsigned int)zec_vf_owner(vf));
	else
		out_null(o, "owner", zec_vf_in_use(vf) ? " in use" : " free");
}

static void print_pf(struct out *o, const struct zec_pf *pf)
{
	const char *ifname = zec_pf_ifname(pf);
	size_t i;

	out_open_object(o, NULL);
	out_string(o, "pci", "pf %s", zec_pf_pci_addr(pf));
	if (ifname)
		out_string(o, "ifname", " dev %s", ifname);
	else
		out_null(o, "ifname", NULL);
	print_node(o, "node", " node %llu", zec_pf_node(pf));
	out_uint(o, "num_vfs", " vfs %llu", zec_pf_vf_count(pf));
	out_uint(o, "total_vfs", " of %llu\n", zec_pf_total_vfs(pf));
	out_open_array(o, "vfs");
	for (i = 0; i < zec_pf_vf_count(pf); i++) {
		out_open_object(o, NULL);
		out_text(o, "    ");
		print_vf(o, zec_pf_vf_at(pf, i));
		out_text(o, "\n");
		out_close_object(o);
	}
	out_close_array(o);
	out_close_object(o);
}

static int vf_pick(struct zec_handle *h, struct zecctl_req *req,
		   struct out *o, struct zec_vf_list *list)
{
	pid_t owner = (pid_t)req->vf_owner;
	const struct zec_vf *vf;
	int err;

	if (req->cpus)
		err = zec_vf_pick_cpus(list, req->cpus, h, req->dev, owner,
				       &vf);
	else
		err = zec_vf_pick(list, (int)req->vf_node, h, req->dev, owner,
				  &vf);
	if (err)
		return err;	/* zec_last_error(h) says why */
	out_open_object(o, NULL);
	print_vf(o, vf);
	out_string(o, "pf", " of pf %s", zec_pf_pci_addr(zec_vf_pf(vf)));
	if (zec_vf_pf_ifname(vf))
		out_string(o, "pf_ifname", " dev %s", zec_vf_pf_ifname(vf));
	else
		out_null(o, "pf_ifname", NULL);
	out_text(o, "\n");
	out_close_object(o);
	return 0;
}

static int vf_release(struct zecctl_req *req, struct zec_vf_list *list)
{
	const struct zec_vf *vf = zec_vf_list_find(list, req->pci);
	int err;

	if (!vf)
		return zecctl_invalid(req, "no VF %s", req->pci);
	err = zec_vf_release(list, vf, (pid_t)req->vf_owner);
	if (err == -ENOENT)
		zecctl_invalid(req, "VF %s is not reserved", req->pci);
	else if (err == -EPERM)
		zecctl_invalid(req, "VF %s is not reserved by pid %u",
			       req->pci, req->vf_owner);
	return err;
}

static int vf_run(struct zec_handle *h, struct zecctl_req *req,
		  struct out *o)
{
	struct zec_vf_list *list;
	size_t i;
	int err;

	err = zec_vf_list_get(NULL, NULL, &list);
	if (err)
		return err;
	switch (req->cmd) {
	case ZECCTL_VF_LIST:
		/* MAC and VLAN: what rtnetlink says, where it can */
		err = h ? zec_vf_list_link_info(list, h) : 0;
		if (err)
			break;
		out_open_array(o, NULL);
		for (i = 0; i < zec_vf_list_pf_count(list); i++)
			print_pf(o, zec_vf_list_pf_at(list, i));
		out_close_array(o);
		break;
	case ZECCTL_VF_PICK:
		err = vf_pick(h, req, o, list);
		break;
	default:
		err = vf_release(req, list);
		break;
	}
	zec_vf_list_free(list);
	return err;
}

const struct zecctl_object vf_object = {
	"vf", vf_parse, vf_run,
	"zecctl vf { list | pick { node N | cpus LIST } [ dev NAME ] pid PID | release PCI_ADDR [ pid PID ] }",
};

static const struct zecctl_option vhost_options[] = {
	{ NULL, parse_cpus, false },
	{ "dev", parse_dev, false },
};

static const struct zecctl_subcommand vhost_commands[] = {
	{ "cpus", ZECCTL_VHOST_CPUS },
};

static int vhost_parse(int argc, char **argv, struct zecctl_req *req)
{
	int err;

	err = zecctl_parse_subcommand(req, "vhost", argc ? argv[0] : NULL,
				      vhost_commands,
				      ARRAY_SIZE(vhost_commands));
	if (!err)
		err = zecctl_parse_options(req, argc - 1, argv + 1,
					   vhost_options,
					   ARRAY_SIZE(vhost_options));
	if (!err && !req->cpus)
		err = zecctl_invalid(req, "missing CPU list");
	return err;
}

static int vhost_run(struct zec_handle *h, struct zecctl_req *req,
		     struct out *o)
{
	struct zec_vhost *vhost;
	unsigned int *cpus;
	char list[256];
	size_t i, n;
	int err;

	err = zec_vhost_cpus(NULL, req->cpus, h, req->dev, &vhost);
	if (err)
		return err;	/* zec_last_error(h) says why */
	n = zec_vhost_cpu_count(vhost);
	cpus = calloc(n ? n : 1, sizeof(*cpus));
	if (!cpus) {
		zec_vhost_free(vhost);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		cpus[i] = zec_vhost_cpu_at(vhost, i);
	zecctl_cpulist(cpus, n, list, sizeof(list));
	free(cpus);
	out_open_object(o, NULL);
	out_uint(o, "node", "node %llu", (unsigned int)zec_vhost_node(vhost));
	out_text(o, " cpus %s", list);
	out_open_array(o, "cpus");
	for (i = 0; i < n; i++)
		out_uint(o, NULL, NULL, zec_vhost_cpu_at(vhost, i));
	out_close_array(o);
	out_open_array(o, "ports");
	for (i = 0; i < zec_vhost_port_count(vhost); i++)
		out_string(o, NULL, i ? ",%s" : " ports %s",
			   zec_vhost_port_at(vhost, i));
	out_close_array(o);
	if (req->dev && !zec_vhost_port_count(vhost))
		out_text(o, " no port of %s", req->dev);
	out_text(o, "\n");
	out_close_object(o);
	zec_vhost_free(vhost);
	return 0;
}

const struct zecctl_object vhost_object = {
	"vhost", vhost_parse, vhost_run,
	"zecctl vhost cpus LIST [ dev NAME ]",
};
