// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Netlink messages of family zec -> libzec structs. Pure functions over
 * bytes so that they can be unit tested and fuzzed without a kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "internal.h"

enum field_kind {
	FIELD_U8_BOOL, FIELD_U16, FIELD_U32, FIELD_U64, FIELD_NAME, FIELD_FLAG
};

/* One fixed-size attribute stored at offset in the destination struct. */
struct field {
	uint16_t type;
	enum field_kind kind;
	size_t offset;
};

/*
 * An attribute space: fields the table describes, and a handler for the
 * nests and repeated attributes it cannot.
 */
struct attr_set {
	const struct field *fields;
	size_t n_fields;
	int (*nested)(const struct nlattr *attr, void *obj);
};

#define FIELD(t, k, s, m) { .type = (t), .kind = (k), .offset = offsetof(s, m) }
#define ATTR_SET(fields, nested) \
	{ (fields), ARRAY_SIZE(fields), (nested) }

static int store_field(const struct nlattr *attr, const struct field *f,
		       void *obj)
{
	const void *payload = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	void *dst = (char *)obj + f->offset;

	switch (f->kind) {
	case FIELD_U8_BOOL:
		if (len != sizeof(uint8_t))
			return -EINVAL;
		*(bool *)dst = *(const uint8_t *)payload != 0;
		return 0;
	case FIELD_U16:
		if (len != sizeof(uint16_t))
			return -EINVAL;
		memcpy(dst, payload, len);
		return 0;
	case FIELD_U32:
		if (len != sizeof(uint32_t))
			return -EINVAL;
		memcpy(dst, payload, len);
		return 0;
	case FIELD_U64:
		if (len != sizeof(uint64_t))
			return -EINVAL;
		memcpy(dst, payload, len);
		return 0;
	case FIELD_FLAG:	/* NLA_FLAG: present means true */
		if (len)
			return -EINVAL;
		*(bool *)dst = true;
		return 0;
	case FIELD_NAME:	/* interface or genetlink name: 16 bytes */
		if (len == 0 || len > ZEC_IFNAMSIZ || !memchr(payload, 0, len))
			return -EINVAL;
		memcpy(dst, payload, len);
		return 0;
	}
	return -EINVAL;
}

static int parse_attr(const struct nlattr *attr, const struct attr_set *set,
		      void *obj)
{
	uint16_t type = mnl_attr_get_type(attr);
	size_t i;

	for (i = 0; i < set->n_fields; i++)
		if (set->fields[i].type == type)
			return store_field(attr, &set->fields[i], obj);
	return set->nested ? set->nested(attr, obj) : 0;
}

/* A run of attributes; anything that is not a whole attribute is an error. */
static int parse_attrs(const void *start, size_t len,
		       const struct attr_set *set, void *obj)
{
	const struct nlattr *attr = start;

	while (len > 0) {
		size_t step;
		int err;

		if (len > INT32_MAX || !mnl_attr_ok(attr, (int)len))
			return -EINVAL;
		err = parse_attr(attr, set, obj);
		if (err)
			return err;
		step = MNL_ALIGN(attr->nla_len);
		if (step >= len)
			break;
		len -= step;
		attr = (const struct nlattr *)((const char *)attr + step);
	}
	return 0;
}

static int parse_nest(const struct nlattr *nest, const struct attr_set *set,
		      void *obj)
{
	return parse_attrs(mnl_attr_get_payload(nest),
			   mnl_attr_get_payload_len(nest), set, obj);
}

/* Room for one more element at the end of *array, zeroed. */
static void *append(void *array, size_t *n, size_t size, void **slot)
{
	char *grown = reallocarray(array, *n + 1, size);

	if (!grown)
		return NULL;
	*slot = grown + *n * size;
	memset(*slot, 0, size);
	(*n)++;
	return grown;
}

/*
 * The object *ptr points to, allocated zeroed on first use: the pointer
 * members of the public structs are const for the caller only.
 */
static void *child(const void *ptr_addr, size_t size)
{
	void **ptr = (void **)ptr_addr;

	if (!*ptr)
		*ptr = calloc(1, size);
	return *ptr;
}

/* A new object of size at the end of the pointer array *array. */
static void *append_new(void *array_addr, size_t *n, size_t size)
{
	void ***array = array_addr;
	void **slot, **grown;
	void *obj = calloc(1, size);

	if (!obj)
		return NULL;
	grown = append(*array, n, sizeof(*grown), (void **)&slot);
	if (!grown) {
		free(obj);
		return NULL;
	}
	*array = grown;
	*slot = obj;
	return obj;
}

#define STATS_FIELD(t, m) FIELD(t, FIELD_U64, struct zec_stats, m)
static const struct field stats_fields[] = {
	STATS_FIELD(ZEC_A_STATS_TX_LOCAL_PACKETS, tx_local_packets),
	STATS_FIELD(ZEC_A_STATS_TX_LOCAL_BYTES, tx_local_bytes),
	STATS_FIELD(ZEC_A_STATS_TX_CROSS_PACKETS, tx_cross_packets),
	STATS_FIELD(ZEC_A_STATS_TX_CROSS_BYTES, tx_cross_bytes),
	STATS_FIELD(ZEC_A_STATS_RX_PACKETS, rx_packets),
	STATS_FIELD(ZEC_A_STATS_RX_BYTES, rx_bytes),
	STATS_FIELD(ZEC_A_STATS_SUBMITTED_PACKETS, submitted_packets),
	STATS_FIELD(ZEC_A_STATS_DROP_NO_PORT, drop_no_port),
	STATS_FIELD(ZEC_A_STATS_DROP_TX_ERROR, drop_tx_error),
	STATS_FIELD(ZEC_A_STATS_FAILOVERS, failovers),
	STATS_FIELD(ZEC_A_STATS_DROP_RATE, drop_rate),
	STATS_FIELD(ZEC_A_STATS_RATE_DELAYED, rate_delayed),
	STATS_FIELD(ZEC_A_STATS_PROBES_SENT, probes_sent),
	STATS_FIELD(ZEC_A_STATS_PROBE_REPLIES, probe_replies),
	STATS_FIELD(ZEC_A_STATS_PROBE_DOWNS, probe_downs),
	STATS_FIELD(ZEC_A_STATS_DAMP_HOLDS, damp_holds),
	STATS_FIELD(ZEC_A_STATS_RX_REFLECTIONS, rx_reflections),
	STATS_FIELD(ZEC_A_STATS_RX_FLOOD_DUPLICATES, rx_flood_duplicates),
	STATS_FIELD(ZEC_A_STATS_ANNOUNCEMENTS, announcements),
};

static const struct attr_set stats_set = ATTR_SET(stats_fields, NULL);

/* A nest whose only nest is ZEC_A_*_STATS, into *stats. */
static int parse_stats_nest(const struct nlattr *attr,
			    const struct zec_stats **stats, uint16_t stats_type)
{
	struct zec_stats *s;

	if (mnl_attr_get_type(attr) != stats_type)
		return 0;
	s = child(stats, sizeof(*s));
	return s ? parse_nest(attr, &stats_set, s) : -ENOMEM;
}

#define RATE_FIELD(t, k, m) FIELD(t, k, struct zec_rate, m)
static const struct field rate_fields[] = {
	RATE_FIELD(ZEC_A_RATE_PERCENT, FIELD_U32, percent),
	RATE_FIELD(ZEC_A_RATE_BPS, FIELD_U64, bps),
	RATE_FIELD(ZEC_A_RATE_PPS, FIELD_U64, pps),
	RATE_FIELD(ZEC_A_RATE_BURST, FIELD_U32, burst),
	RATE_FIELD(ZEC_A_RATE_MODE, FIELD_U32, mode),
	RATE_FIELD(ZEC_A_RATE_INHERITED, FIELD_FLAG, inherited),
	RATE_FIELD(ZEC_A_RATE_ACTIVE_BPS, FIELD_U64, active_bps),
	RATE_FIELD(ZEC_A_RATE_ACTIVE_PPS, FIELD_U64, active_pps),
	RATE_FIELD(ZEC_A_RATE_ACTIVE_BURST, FIELD_U32, active_burst),
};

static const struct attr_set rate_set = ATTR_SET(rate_fields, NULL);

/* A ZEC_A_*_RATE nest into *rate. */
static int parse_rate_nest(const struct nlattr *attr,
			   const struct zec_rate **rate)
{
	struct zec_rate *r = child(rate, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->sz = sizeof(*r);
	return parse_nest(attr, &rate_set, r);
}

static int port_nested(const struct nlattr *attr, void *obj)
{
	struct zec_port *port = obj;

	switch (mnl_attr_get_type(attr)) {
	case ZEC_A_PORT_RATE:
		return parse_rate_nest(attr, &port->rate);
	case ZEC_A_PORT_PROBE_MISSES:
	case ZEC_A_PORT_PROBE_REPLY_AGE_MS:
		if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
			return -EINVAL;
		port->probing = true;
		if (mnl_attr_get_type(attr) == ZEC_A_PORT_PROBE_MISSES)
			port->probe_misses = mnl_attr_get_u32(attr);
		else
			port->probe_reply_age_ms = mnl_attr_get_u32(attr);
		return 0;
	default:
		return parse_stats_nest(attr, &port->stats, ZEC_A_PORT_STATS);
	}
}

#define PORT_FIELD(t, k, m) FIELD(t, k, struct zec_port, m)
static const struct field port_fields[] = {
	PORT_FIELD(ZEC_A_PORT_IFINDEX, FIELD_U32, ifindex),
	PORT_FIELD(ZEC_A_PORT_IFNAME, FIELD_NAME, ifname),
	PORT_FIELD(ZEC_A_PORT_NODE, FIELD_U32, node),
	PORT_FIELD(ZEC_A_PORT_DETECTED_NODE, FIELD_U32, detected_node),
	PORT_FIELD(ZEC_A_PORT_NODE_OVERRIDE, FIELD_U32, node_override),
	PORT_FIELD(ZEC_A_PORT_ENABLED, FIELD_U8_BOOL, enabled),
	PORT_FIELD(ZEC_A_PORT_STATE, FIELD_U32, state),
	PORT_FIELD(ZEC_A_PORT_DOWN_REASONS, FIELD_U32, down_reasons),
	PORT_FIELD(ZEC_A_PORT_SPEED_MBPS, FIELD_U32, speed_mbps),
};

static const struct attr_set port_set = ATTR_SET(port_fields, port_nested);

static int parse_port(const struct nlattr *nest, struct zec_port *port)
{
	port->node = ZEC_NODE_NONE;
	port->detected_node = ZEC_NODE_NONE;
	port->node_override = ZEC_NODE_NONE;
	port->speed_mbps = ZEC_SPEED_UNKNOWN;
	port->probe_reply_age_ms = ZEC_PROBE_NO_REPLY;
	return parse_nest(nest, &port_set, port);
}

static int node_nested(const struct nlattr *attr, void *obj)
{
	struct zec_node *node = obj;
	uint32_t *grown, *slot;

	if (mnl_attr_get_type(attr) != ZEC_A_NODE_PORT)
		return parse_stats_nest(attr, &node->stats, ZEC_A_NODE_STATS);
	if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
		return -EINVAL;
	grown = append(node->port_ifindex, &node->n_ports, sizeof(*slot),
		       (void **)&slot);
	if (!grown)
		return -ENOMEM;
	node->port_ifindex = grown;
	*slot = mnl_attr_get_u32(attr);
	return 0;
}

#define NODE_FIELD(t, m) FIELD(t, FIELD_U32, struct zec_node, m)
static const struct field node_fields[] = {
	NODE_FIELD(ZEC_A_NODE_ID, id),
	NODE_FIELD(ZEC_A_NODE_SELECT, select),
	NODE_FIELD(ZEC_A_NODE_DISTANCE, distance),
};

static const struct attr_set node_set = ATTR_SET(node_fields, node_nested);

#define PROBE_FIELD(t, m) FIELD(t, FIELD_U32, struct zec_probe_config, m)
static const struct field probe_fields[] = {
	PROBE_FIELD(ZEC_A_PROBE_INTERVAL_MS, interval_ms),
	PROBE_FIELD(ZEC_A_PROBE_MISS_COUNT, miss_count),
	PROBE_FIELD(ZEC_A_PROBE_RECOVER_COUNT, recover_count),
	PROBE_FIELD(ZEC_A_PROBE_DAMP_COUNT, damp_count),
	PROBE_FIELD(ZEC_A_PROBE_DAMP_WINDOW_MS, damp_window_ms),
	PROBE_FIELD(ZEC_A_PROBE_DAMP_HOLD_MS, damp_hold_ms),
};

/*
 * The repeated targets, as many as the kernel sends: its limit is not
 * the library's to know.
 */
static int probe_nested(const struct nlattr *attr, void *obj)
{
	struct zec_probe_config *probe = obj;
	size_t len = mnl_attr_get_payload_len(attr);
	struct zec_probe_target *t, *grown;
	int family;

	switch (mnl_attr_get_type(attr)) {
	case ZEC_A_PROBE_TARGET_IPV4:
		family = AF_INET;
		if (len != sizeof(t->addr.v4))
			return -EINVAL;
		break;
	case ZEC_A_PROBE_TARGET_IPV6:
		family = AF_INET6;
		if (len != sizeof(t->addr.v6))
			return -EINVAL;
		break;
	default:
		return 0;
	}
	grown = append((void *)probe->targets, &probe->n_targets,
		       sizeof(*t), (void **)&t);
	if (!grown)
		return -ENOMEM;
	probe->targets = grown;
	t->family = family;
	memcpy(&t->addr, mnl_attr_get_payload(attr), len);
	return 0;
}

static const struct attr_set probe_set = ATTR_SET(probe_fields, probe_nested);

static void probe_free(const struct zec_probe_config *probe)
{
	if (probe)
		free((void *)probe->targets);
	free((void *)probe);
}

/* A ZEC_A_DEV_PROBE nest into *probe, replacing any earlier one. */
static int parse_probe(const struct nlattr *nest,
		       const struct zec_probe_config **probe)
{
	struct zec_probe_config *p;

	probe_free(*probe);
	*probe = NULL;
	p = child(probe, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->sz = sizeof(*p);
	return parse_nest(nest, &probe_set, p);
}

#define CONFIG_FIELD(t, m) FIELD(t, FIELD_U32, struct zec_dev_config, m)
static const struct field config_fields[] = {
	CONFIG_FIELD(ZEC_A_DEV_MODE, mode),
	CONFIG_FIELD(ZEC_A_DEV_UP_DELAY_MS, up_delay_ms),
	CONFIG_FIELD(ZEC_A_DEV_GARP_COUNT, garp_count),
	CONFIG_FIELD(ZEC_A_DEV_RX_PORT, rx_port_ifindex),
	CONFIG_FIELD(ZEC_A_DEV_MAC_TABLE_SIZE, mac_table_size),
	CONFIG_FIELD(ZEC_A_DEV_MAC_AGEING_MS, mac_ageing_ms),
	CONFIG_FIELD(ZEC_A_DEV_ANNOUNCE_COUNT, announce_count),
	CONFIG_FIELD(ZEC_A_DEV_ANNOUNCE_INTERVAL_MS, announce_interval_ms),
	CONFIG_FIELD(ZEC_A_DEV_ANNOUNCE_RATE, announce_rate),
};

static const struct attr_set config_set = ATTR_SET(config_fields, NULL);

/* A device attribute of struct zec_dev_config into *config; 1 if not one. */
static int parse_config_attr(const struct nlattr *attr,
			     const struct zec_dev_config **config)
{
	uint16_t type = mnl_attr_get_type(attr);
	struct zec_dev_config *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(config_fields); i++)
		if (config_fields[i].type == type)
			break;
	if (i == ARRAY_SIZE(config_fields))
		return 1;
	c = child(config, sizeof(*c));
	return c ? parse_attr(attr, &config_set, c) : -ENOMEM;
}

static void port_free(const struct zec_port *port)
{
	if (!port)
		return;
	free((void *)port->stats);
	free((void *)port->rate);
	free((void *)port);
}

ZEC_EXPORT void zec_device_free(struct zec_device *dev)
{
	size_t i, sz = dev->sz;

	/* every member below is within the 1.0 size; nothing is beyond sz */
	if (sz < ZEC_DEVICE_SZ_1_0)
		return;
	free((void *)dev->config);
	free((void *)dev->stats);
	for (i = 0; i < dev->n_ports; i++)
		port_free(dev->ports[i]);
	free(dev->ports);
	for (i = 0; i < dev->n_nodes; i++) {
		free(dev->nodes[i]->port_ifindex);
		free((void *)dev->nodes[i]->stats);
		free(dev->nodes[i]);
	}
	free(dev->nodes);
	free((void *)dev->rate);
	probe_free(dev->probe);
	memset(dev, 0, sz < sizeof(*dev) ? sz : sizeof(*dev));
	dev->sz = sz;
}

static int dev_nested(const struct nlattr *attr, void *obj)
{
	struct zec_device *dev = obj;
	struct zec_port *port;
	struct zec_node *node;
	int err;

	switch (mnl_attr_get_type(attr)) {
	case ZEC_A_DEV_PORT:
		port = append_new(&dev->ports, &dev->n_ports, sizeof(*port));
		return port ? parse_port(attr, port) : -ENOMEM;
	case ZEC_A_DEV_NODE:
		node = append_new(&dev->nodes, &dev->n_nodes, sizeof(*node));
		return node ? parse_nest(attr, &node_set, node) : -ENOMEM;
	case ZEC_A_DEV_RATE:
		return parse_rate_nest(attr, &dev->rate);
	case ZEC_A_DEV_PROBE:
		return parse_probe(attr, &dev->probe);
	default:
		err = parse_config_attr(attr, &dev->config);
		if (err <= 0)
			return err;
		return parse_stats_nest(attr, &dev->stats, ZEC_A_DEV_STATS);
	}
}

#define DEV_FIELD(t, k, m) FIELD(t, k, struct zec_device, m)
static const struct field dev_fields[] = {
	DEV_FIELD(ZEC_A_DEV_IFINDEX, FIELD_U32, ifindex),
	DEV_FIELD(ZEC_A_DEV_IFNAME, FIELD_NAME, ifname),
	DEV_FIELD(ZEC_A_DEV_GENERATION, FIELD_U32, generation),
	DEV_FIELD(ZEC_A_DEV_FAILOVER_COUNT, FIELD_U64, failover_count),
	DEV_FIELD(ZEC_A_DEV_LAST_FAILOVER_NS, FIELD_U64, last_failover_ns),
	DEV_FIELD(ZEC_A_DEV_RX_PORT_ACTIVE, FIELD_U32, rx_port_active),
	DEV_FIELD(ZEC_A_DEV_MAC_COUNT, FIELD_U32, mac_count),
	DEV_FIELD(ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE, FIELD_U64,
		  probe_rounds_no_source),
};

static const struct attr_set dev_set = ATTR_SET(dev_fields, dev_nested);

#define EVENT_FIELD(t, k, m) FIELD(t, k, struct zec_event, m)
static const struct field event_detail_fields[] = {
	EVENT_FIELD(ZEC_A_EVENT_REASON, FIELD_U32, reason),
	EVENT_FIELD(ZEC_A_EVENT_NODE, FIELD_U32, node),
	EVENT_FIELD(ZEC_A_EVENT_FROM_IFINDEX, FIELD_U32, from_ifindex),
	EVENT_FIELD(ZEC_A_EVENT_TO_IFINDEX, FIELD_U32, to_ifindex),
	EVENT_FIELD(ZEC_A_EVENT_SELECT, FIELD_U32, select),
	EVENT_FIELD(ZEC_A_EVENT_TIMESTAMP_NS, FIELD_U64, timestamp_ns),
};

static const struct attr_set event_detail_set =
	ATTR_SET(event_detail_fields, NULL);

static int event_nested(const struct nlattr *attr, void *obj)
{
	struct zec_event *ev = obj;
	struct zec_port *port;
	int err;

	switch (mnl_attr_get_type(attr)) {
	case ZEC_A_DEV_PORT:
		port_free(ev->port);
		ev->port = NULL;
		port = child(&ev->port, sizeof(*port));
		return port ? parse_port(attr, port) : -ENOMEM;
	case ZEC_A_DEV_EVENT:
		return parse_nest(attr, &event_detail_set, ev);
	case ZEC_A_DEV_PROBE:
		return parse_probe(attr, &ev->probe);
	default:
		err = parse_config_attr(attr, &ev->config);
		return err < 0 ? err : 0;
	}
}

static const struct field event_fields[] = {
	EVENT_FIELD(ZEC_A_DEV_IFINDEX, FIELD_U32, ifindex),
	EVENT_FIELD(ZEC_A_DEV_IFNAME, FIELD_NAME, ifname),
	EVENT_FIELD(ZEC_A_DEV_GENERATION, FIELD_U32, generation),
	EVENT_FIELD(ZEC_A_DEV_RX_PORT_ACTIVE, FIELD_U32, rx_port_active),
};

static const struct attr_set event_set = ATTR_SET(event_fields, event_nested);

/* The genetlink header of a whole message that fits in len, or NULL. */
static const struct genlmsghdr *genl_header(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len > len)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

static int parse_genl(const void *buf, size_t len, const struct attr_set *set,
		      void *obj)
{
	const struct nlmsghdr *nlh = buf;

	if (!genl_header(buf, len))
		return -EINVAL;
	return parse_attrs(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			   set, obj);
}

int zec_parse_device(const void *buf, size_t len, struct zec_device *dev)
{
	int err;

	memset(dev, 0, sizeof(*dev));
	dev->sz = sizeof(*dev);
	err = parse_genl(buf, len, &dev_set, dev);
	if (!err && (!dev->ifindex || !dev->ifname[0]))
		err = -EINVAL;
	/* config is never NULL, even if a reply leaves it out */
	if (!err && !child(&dev->config, sizeof(*dev->config)))
		err = -ENOMEM;
	if (err)
		zec_device_free(dev);
	return err;
}

static const enum zec_event_type event_of_cmd[] = {
	[ZEC_CMD_PORT_ADD_NTF] = ZEC_EVENT_PORT_ADDED,
	[ZEC_CMD_PORT_DEL_NTF] = ZEC_EVENT_PORT_REMOVED,
	[ZEC_CMD_PORT_STATE_NTF] = ZEC_EVENT_PORT_STATE,
	[ZEC_CMD_FAILOVER_NTF] = ZEC_EVENT_FAILOVER,
	[ZEC_CMD_DEV_CHANGE_NTF] = ZEC_EVENT_CONFIG,
	[ZEC_CMD_RX_PORT_NTF] = ZEC_EVENT_RX_PORT,
};

/* What every notification of a device carries, whatever its command. */
struct ntf_identity {
	uint32_t ifindex;
	uint32_t generation;
	bool has_generation;
};

static int ntf_generation(const struct nlattr *attr, void *obj)
{
	struct ntf_identity *id = obj;

	if (mnl_attr_get_type(attr) != ZEC_A_DEV_GENERATION)
		return 0;
	if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
		return -EINVAL;
	id->generation = mnl_attr_get_u32(attr);
	id->has_generation = true;
	return 0;
}

static const struct field ntf_fields[] = {
	FIELD(ZEC_A_DEV_IFINDEX, FIELD_U32, struct ntf_identity, ifindex),
};

static const struct attr_set ntf_set = ATTR_SET(ntf_fields, ntf_generation);

int zec_parse_event(const void *buf, size_t len, struct zec_event *ev)
{
	const struct genlmsghdr *genl = genl_header(buf, len);
	struct ntf_identity id = { 0 };
	int err;

	memset(ev, 0, sizeof(*ev));
	ev->sz = sizeof(*ev);
	if (!genl)
		return -EINVAL;
	/*
	 * A command this library does not know (a later kernel's
	 * notification) is no event, but its generation counts.
	 */
	if (genl->cmd >= ARRAY_SIZE(event_of_cmd) ||
	    !event_of_cmd[genl->cmd]) {
		if (!parse_genl(buf, len, &ntf_set, &id) && id.ifindex &&
		    id.has_generation) {
			ev->ifindex = id.ifindex;
			ev->generation = id.generation;
		}
		return -ENOMSG;
	}
	ev->type = event_of_cmd[genl->cmd];
	ev->node = ZEC_NODE_NONE;
	err = parse_genl(buf, len, &event_set, ev);
	if (!err && !ev->ifindex)
		err = -EINVAL;
	/* port events name a port; a CONFIG event has a configuration */
	if (!err && ev->type != ZEC_EVENT_CONFIG &&
	    ev->type != ZEC_EVENT_FAILOVER && ev->type != ZEC_EVENT_RX_PORT &&
	    !ev->port)
		err = -EINVAL;
	if (!err && ev->type == ZEC_EVENT_CONFIG &&
	    !child(&ev->config, sizeof(*ev->config)))
		err = -ENOMEM;
	return err;
}

void zec_event_clear(struct zec_event *ev)
{
	size_t i;

	port_free(ev->port);
	free((void *)ev->config);
	probe_free(ev->probe);
	for (i = 0; i < ev->n_devs; i++) {
		zec_device_free(ev->devs[i]);
		free(ev->devs[i]);
	}
	free((void *)ev->devs);
	memset(ev, 0, sizeof(*ev));
}

/* A ZEC_A_DEV_MAC nest as it is read: the address is required. */
struct mac_parse {
	struct zec_mac mac;
	bool has_addr;
};

static int mac_nested(const struct nlattr *attr, void *obj)
{
	struct mac_parse *m = obj;

	if (mnl_attr_get_type(attr) != ZEC_A_MAC_ADDR)
		return 0;
	if (mnl_attr_get_payload_len(attr) != sizeof(m->mac.addr))
		return -EINVAL;
	memcpy(m->mac.addr, mnl_attr_get_payload(attr), sizeof(m->mac.addr));
	m->has_addr = true;
	return 0;
}

#define MAC_FIELD(t, m) FIELD(t, FIELD_U32, struct mac_parse, mac.m)
static const struct field mac_fields[] = {
	MAC_FIELD(ZEC_A_MAC_NODE, node),
	MAC_FIELD(ZEC_A_MAC_PORT_IFINDEX, port_ifindex),
	MAC_FIELD(ZEC_A_MAC_AGE_MS, age_ms),
};

static const struct attr_set mac_set = ATTR_SET(mac_fields, mac_nested);

/* One ZEC_CMD_MAC_GET message as it is read. */
struct macs_parse {
	struct zec_mac_list *list;
	uint32_t ifindex;
};

static int macs_nested(const struct nlattr *attr, void *obj)
{
	struct mac_parse m = { .mac = { .node = ZEC_NODE_NONE } };
	struct zec_mac_list *list = ((struct macs_parse *)obj)->list;
	struct zec_mac *grown;
	size_t cap;
	int err;

	if (mnl_attr_get_type(attr) != ZEC_A_DEV_MAC)
		return 0;
	err = parse_nest(attr, &mac_set, &m);
	if (err)
		return err;
	if (!m.has_addr)
		return -EINVAL;
	/* a device may have thousands: grow by doubling */
	if (list->n == list->cap) {
		cap = list->cap ? 2 * list->cap : 16;
		grown = reallocarray(list->macs, cap, sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		list->macs = grown;
		list->cap = cap;
	}
	list->macs[list->n++] = m.mac;
	return 0;
}

static const struct field macs_fields[] = {
	FIELD(ZEC_A_DEV_IFINDEX, FIELD_U32, struct macs_parse, ifindex),
};

static const struct attr_set macs_set = ATTR_SET(macs_fields, macs_nested);

int zec_parse_macs(struct zec_handle *h, const void *buf, size_t len,
		   struct zec_mac_list *list)
{
	struct macs_parse p = { .list = list };
	int err = parse_genl(buf, len, &macs_set, &p);

	if (err == -EINVAL)
		return zec_error(h, err,
				 "malformed source-MAC reply from the kernel");
	if (!err && !p.ifindex)
		err = zec_error(h, -EINVAL,
				"source-MAC reply from the kernel without ifindex");
	if (!err && list->ifindex && list->ifindex != p.ifindex)
		err = zec_error(h, -EINVAL,
				"source-MAC dump from the kernel of two devices (ifindex %u, %u)",
				list->ifindex, p.ifindex);
	if (!err)
		list->ifindex = p.ifindex;
	return err;
}

/*
 * What an extended ack says: its message (longer ones are cut; the
 * kernel's are one short line) and the bounds of the offending
 * attribute's range, from the policy the kernel attaches to a refusal.
 */
struct ack_text {
	char text[256];
	uint64_t min, max;
	bool has_min, has_max;
};

static int policy_bound(const struct nlattr *attr, void *obj)
{
	struct ack_text *msg = obj;

	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return 0;
	switch (mnl_attr_get_type(attr)) {
	case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		msg->min = mnl_attr_get_u64(attr);
		msg->has_min = true;
		break;
	case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		msg->max = mnl_attr_get_u64(attr);
		msg->has_max = true;
		break;
	}
	return 0;
}

static const struct attr_set policy_set = { NULL, 0, policy_bound };

static int ack_nested(const struct nlattr *attr, void *obj)
{
	struct ack_text *msg = obj;
	size_t len = mnl_attr_get_payload_len(attr);
	const char *text = mnl_attr_get_payload(attr);

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (!memchr(text, 0, len))
			return -EINVAL;
		snprintf(msg->text, sizeof(msg->text), "%s", text);
		return 0;
	case NLMSGERR_ATTR_POLICY:
		/* Only a help to the message: a policy we cannot read is left out. */
		if (parse_nest(attr, &policy_set, msg))
			msg->has_min = msg->has_max = false;
		return 0;
	}
	return 0;
}

static const struct attr_set ack_set = { NULL, 0, ack_nested };

int zec_parse_ack(const void *buf, size_t len, char *msg, size_t msg_size)
{
	const struct nlmsghdr *nlh = buf;
	struct ack_text ack = { .text = "" };
	const struct nlmsgerr *err;
	size_t offset;
	int error;

	if (msg_size)
		msg[0] = 0;
	if (len < NLMSG_HDRLEN + sizeof(error) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(error))
		return -EINVAL;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error > 0)
		return -EINVAL;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's end: the error, then directly the TLVs */
		offset = NLMSG_HDRLEN + sizeof(error);
	} else {
		offset = NLMSG_HDRLEN + sizeof(*err);
		if (nlh->nlmsg_len < offset)
			return -EINVAL;
		err = mnl_nlmsg_get_payload(nlh);
		/* uncapped, the request's payload is echoed before the TLVs */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < NLMSG_HDRLEN ||
			    err->msg.nlmsg_len > nlh->nlmsg_len)
				return -EINVAL;
			offset += NLMSG_ALIGN(err->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return error;
	if (offset > nlh->nlmsg_len ||
	    parse_attrs((const char *)buf + offset, nlh->nlmsg_len - offset,
			&ack_set, &ack))
		return -EINVAL;
	if (!msg_size)
		return error;
	/*
	 * "integer out of range" says which range only with its bounds; the
	 * policy also comes with other refusals (a wrong length), where the
	 * bounds would mislead.
	 */
	if (error == -ERANGE && ack.has_min && ack.has_max)
		snprintf(msg, msg_size, "%s (valid: %" PRIu64 " to %" PRIu64 ")",
			 ack.text, ack.min, ack.max);
	else
		snprintf(msg, msg_size, "%s", ack.text);
	return error;
}

struct mcast_group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

static const struct field mcast_group_fields[] = {
	FIELD(CTRL_ATTR_MCAST_GRP_NAME, FIELD_NAME, struct mcast_group, name),
	FIELD(CTRL_ATTR_MCAST_GRP_ID, FIELD_U32, struct mcast_group, id),
};

static const struct attr_set mcast_group_set =
	ATTR_SET(mcast_group_fields, NULL);

/* One entry of CTRL_ATTR_MCAST_GROUPS, an array indexed by nla_type. */
static int mcast_group_nested(const struct nlattr *attr, void *obj)
{
	struct zec_family *family = obj;
	struct mcast_group group = { "", 0 };
	int err = parse_nest(attr, &mcast_group_set, &group);

	if (!err && !strcmp(group.name, ZEC_MCGRP_MONITOR))
		family->monitor_group = group.id;
	return err;
}

static const struct attr_set mcast_groups_set = {
	NULL, 0, mcast_group_nested
};

static int family_nested(const struct nlattr *attr, void *obj)
{
	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return 0;
	return parse_nest(attr, &mcast_groups_set, obj);
}

static const struct field family_fields[] = {
	FIELD(CTRL_ATTR_FAMILY_ID, FIELD_U16, struct zec_family, id),
};

static const struct attr_set family_set =
	ATTR_SET(family_fields, family_nested);

int zec_parse_family(const void *buf, size_t len, struct zec_family *family)
{
	int err;

	memset(family, 0, sizeof(*family));
	err = parse_genl(buf, len, &family_set, family);
	return !err && !family->id ? -EINVAL : err;
}

/* RTM_NEWLINK of an SR-IOV PF (rtnetlink): its VFs' MAC and VLAN. */
struct vfinfo_parse {
	struct zec_vfinfo *infos;
	size_t n;
	struct zec_vfinfo cur;		/* of the IFLA_VF_INFO being read */
	bool has_vf;
	uint32_t vf;
};

static int vf_info_attr(const struct nlattr *attr, void *obj)
{
	static const uint8_t zero[6];
	const void *payload = mnl_attr_get_payload(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	struct vfinfo_parse *p = obj;
	struct ifla_vf_vlan vlan;
	struct ifla_vf_mac mac;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_VF_MAC:
		if (len < sizeof(mac))
			return -EINVAL;
		memcpy(&mac, payload, sizeof(mac));
		p->vf = mac.vf;
		memcpy(p->cur.mac, mac.mac, sizeof(p->cur.mac));
		p->cur.has_mac = memcmp(mac.mac, zero, sizeof(zero)) != 0;
		break;
	case IFLA_VF_VLAN:
		if (len < sizeof(vlan))
			return -EINVAL;
		memcpy(&vlan, payload, sizeof(vlan));
		if (vlan.vlan > 4095)
			return -EINVAL;
		p->vf = vlan.vf;
		p->cur.has_vlan = true;
		p->cur.vlan = (uint16_t)vlan.vlan;
		break;
	default:
		return 0;
	}
	p->has_vf = true;
	return 0;
}

static const struct attr_set vf_info_set = { NULL, 0, vf_info_attr };

static int vfinfo_list_attr(const struct nlattr *attr, void *obj)
{
	struct vfinfo_parse *p = obj;
	int err;

	if (mnl_attr_get_type(attr) != IFLA_VF_INFO)
		return 0;
	memset(&p->cur, 0, sizeof(p->cur));
	p->has_vf = false;
	err = parse_nest(attr, &vf_info_set, p);
	if (!err && p->has_vf && p->vf < p->n)
		p->infos[p->vf] = p->cur;
	return err;
}

static const struct attr_set vfinfo_list_set = { NULL, 0, vfinfo_list_attr };

static int link_attr(const struct nlattr *attr, void *obj)
{
	if (mnl_attr_get_type(attr) != IFLA_VFINFO_LIST)
		return 0;
	return parse_nest(attr, &vfinfo_list_set, obj);
}

static const struct attr_set link_set = { NULL, 0, link_attr };

int zec_parse_vfinfo(const void *buf, size_t len, struct zec_vfinfo *infos,
		     size_t n)
{
	const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));
	const struct nlmsghdr *nlh = buf;
	struct vfinfo_parse p = { .infos = infos, .n = n };

	if (n)
		memset(infos, 0, n * sizeof(*infos));
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < hdr ||
	    nlh->nlmsg_len > len || nlh->nlmsg_type != RTM_NEWLINK)
		return -EINVAL;
	return parse_attrs((const char *)buf + hdr, nlh->nlmsg_len - hdr,
			   &link_set, &p);
}
