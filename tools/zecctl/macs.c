// SPDX-License-Identifier: GPL-2.0-only
/*
 * zecctl macs [NAME]: the source MACs each zec device sends from, learned
 * in independent mode: the node that last sent from it, the port its
 * frames leave through and how long ago it was last seen.
 */
#include <stdio.h>

#include "zecctl.h"

static int macs_parse(int argc, char **argv, struct zecctl_req *req)
{
	return zecctl_parse_optional_dev(argc, argv, req, ZECCTL_MACS);
}

void zecctl_print_macs(struct out *o, const struct zec_device *dev,
		       const struct zec_mac_list *list)
{
	size_t i, n = zec_mac_list_count(list);
	char addr[18], buf[32];

	out_open_object(o, NULL);
	out_string(o, "ifname", "%s:", dev->ifname);
	out_uint(o, "ifindex", NULL, dev->ifindex);
	out_string(o, "mode", " mode %s", zecctl_mode_name(dev->config->mode));
	out_uint(o, "mac_count", " macs %llu\n", n);
	out_open_array(o, "macs");
	for (i = 0; i < n; i++) {
		const struct zec_mac *m = zec_mac_list_at(list, i);
		const uint8_t *a = zec_mac_addr(m);
		uint32_t node = zec_mac_node(m);
		uint32_t port = zec_mac_port_ifindex(m);

		snprintf(addr, sizeof(addr), "%02x:%02x:%02x:%02x:%02x:%02x",
			 a[0], a[1], a[2], a[3], a[4], a[5]);
		out_open_object(o, NULL);
		out_string(o, "mac", "    %s", addr);
		if (node == ZEC_NODE_NONE)
			out_null(o, "node", " node none");
		else
			out_uint(o, "node", " node %llu", node);
		out_text(o, " port ");
		if (port)
			out_string(o, "port", "%s",
				   zecctl_port_name(dev, port, buf,
						    sizeof(buf)));
		else
			out_null(o, "port", "none");
		out_uint(o, "port_ifindex", NULL, port);
		out_uint(o, "age_ms", " age %llums\n", zec_mac_age_ms(m));
		out_close_object(o);
	}
	out_close_array(o);
	if (!n && dev->config->mode == ZEC_MODE_LAG)
		out_text(o, "    none: learned in independent mode only\n");
	out_close_object(o);
}

static int macs_run(struct zec_handle *h, struct zecctl_req *req,
		    struct out *o)
{
	struct zec_mac_list *list;
	struct zec_device **devs;
	size_t i, n;
	int err;

	err = zecctl_get_devices(h, req->dev, false, &devs, &n);
	if (err)
		return err;
	out_open_array(o, NULL);
	for (i = 0; !err && i < n; i++) {
		err = zec_mac_list_get(h, devs[i]->ifname, &list);
		if (!err)
			zecctl_print_macs(o, devs[i], list);
		zec_mac_list_free(list);
	}
	out_close_array(o);
	zec_device_list_free(devs, n);
	return err;
}

const struct zecctl_object macs_object = {
	"macs", macs_parse, macs_run, "zecctl macs [ NAME ]",
};
