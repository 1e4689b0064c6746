// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output pieces that "show", "topology", "monitor" and "macs" share.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "zecctl.h"

const char *zecctl_port_name(const struct zec_device *dev, uint32_t ifindex,
			     char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < dev->n_ports; i++)
		if (dev->ports[i]->ifindex == ifindex)
			return dev->ports[i]->ifname;
	snprintf(buf, size, "ifindex %u", ifindex);
	return buf;
}

void zecctl_print_serving(struct out *o, const struct zec_device *dev,
			  const struct zec_node *node)
{
	char buf[32];
	size_t i;

	out_open_array(o, "ports");
	for (i = 0; i < node->n_ports; i++)
		out_string(o, NULL, i ? ",%s" : "%s",
			   zecctl_port_name(dev, node->port_ifindex[i], buf,
					    sizeof(buf)));
	out_close_array(o);
	if (!node->n_ports)
		out_text(o, "no port");
	out_string(o, "select", " (%s", zecctl_select_name(node->select));
	/* the kernel gives no distance to no port or to a port of no node */
	if (node->select == ZEC_SELECT_NONE ||
	    node->select == ZEC_SELECT_UNKNOWN)
		out_text(o, ")");
	else
		out_uint(o, "distance", ", distance %llu)", node->distance);
}

void zecctl_print_down_reasons(struct out *o, uint32_t bits)
{
	char names[64];
	uint32_t bit;

	out_open_array(o, "down_reasons");
	for (bit = 1; bit; bit <<= 1) {
		if (!(bits & bit))
			continue;
		zecctl_down_reasons(bit, names, sizeof(names));
		out_string(o, NULL, NULL, names);
	}
	out_close_array(o);
	zecctl_down_reasons(bits, names, sizeof(names));
	if (bits)
		out_text(o, " (%s)", names);
}

void zecctl_format_target(const struct zec_probe_target *t, char *buf,
			  size_t size)
{
	if (!inet_ntop(t->family, &t->addr, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

void zecctl_print_probe(struct out *o, const struct zec_probe_config *probe)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	out_open_object(o, "probe");
	out_text(o, " probe");
	out_open_array(o, "targets");
	for (i = 0; i < probe->n_targets; i++) {
		zecctl_format_target(&probe->targets[i], addr, sizeof(addr));
		out_string(o, NULL, " target %s", addr);
	}
	out_close_array(o);
	out_uint(o, "interval_ms", " interval %llums", probe->interval_ms);
	out_uint(o, "miss", " miss %llu", probe->miss_count);
	out_uint(o, "recover", " recover %llu", probe->recover_count);
	if (probe->damp_count) {
		out_uint(o, "damp", " damp %llu", probe->damp_count);
		out_uint(o, "window_ms", " window %llums",
			 probe->damp_window_ms);
		out_uint(o, "hold_ms", " hold %llums", probe->damp_hold_ms);
	}
	out_close_object(o);
}

void zecctl_print_dev_probe(struct out *o, const struct zec_device *dev)
{
	zecctl_print_probe(o, dev->probe);
	/* not sent for want of an address (at boot: not given yet) */
	out_uint(o, "probe_rounds_no_source",
		 dev->probe_rounds_no_source ?
		 " (%llu rounds without a source address)" : NULL,
		 dev->probe_rounds_no_source);
}

void zecctl_print_port_probe(struct out *o, const struct zec_port *port)
{
	if (!port->probing)
		return;
	out_uint(o, "probe_misses", " probe misses %llu", port->probe_misses);
	if (port->probe_reply_age_ms == ZEC_PROBE_NO_REPLY)
		out_null(o, "probe_reply_age_ms", " no reply yet");
	else
		out_uint(o, "probe_reply_age_ms", " last reply %llums ago",
			 port->probe_reply_age_ms);
}

void zecctl_print_ifindex(struct out *o, const char *key, const char *label,
			  uint32_t ifindex, const char *none_text)
{
	char name[IF_NAMESIZE];

	out_text(o, "%s", label);
	if (!ifindex)
		out_null(o, key, none_text);
	else
		out_string(o, key, "%s",
			   if_indextoname(ifindex, name) ? name : "(gone)");
}

void zecctl_print_rx_config(struct out *o, const struct zec_dev_config *c,
			    const struct zec_device *dev)
{
	if (!c->mac_table_size)
		return;
	zecctl_print_ifindex(o, "rx_port", " rxport ", c->rx_port_ifindex,
			     "auto");
	out_uint(o, "rx_port_ifindex", NULL, c->rx_port_ifindex);
	if (dev) {
		if (c->mode == ZEC_MODE_LAG) {
			out_null(o, "rx_port_active", " (lag: every port)");
		} else {
			zecctl_print_ifindex(o, "rx_port_active", " (active ",
					     dev->rx_port_active, "none");
			out_text(o, ")");
		}
		out_uint(o, "rx_port_active_ifindex", NULL,
			 dev->rx_port_active);
		out_uint(o, "mac_count", " macs %llu", dev->mac_count);
	}
	out_uint(o, "mac_table_size", " mac-table %llu", c->mac_table_size);
	out_uint(o, "mac_ageing_ms", " mac-ageing %llums", c->mac_ageing_ms);
	out_uint(o, "announce_count", " announce %llu", c->announce_count);
	out_uint(o, "announce_interval_ms", " announce-interval %llums",
		 c->announce_interval_ms);
	out_uint(o, "announce_rate", " announce-rate %llu", c->announce_rate);
}
