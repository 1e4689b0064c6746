// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The message parsers over messages built in memory with libmnl, whole,
 * cut short, corrupted and random.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../internal.h"
#include "zecctl.h"
#include "unit.h"

#define FAMILY_ID 0x20
#define UNKNOWN_ATTR 200

/* 8-byte aligned, as a receive buffer would be */
static union {
	char bytes[8192];
	uint64_t align;
} msg;

static struct nlmsghdr *genl_msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(msg.bytes, 0,
							   sizeof(msg)));
	struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh,
							     sizeof(*genl));

	nlh->nlmsg_type = FAMILY_ID;
	genl->cmd = cmd;
	genl->version = ZEC_GENL_VERSION;
	return nlh;
}

static void put_stats(struct nlmsghdr *nlh, uint16_t type, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	uint16_t a;

	for (a = ZEC_A_STATS_TX_LOCAL_PACKETS; a <= ZEC_A_STATS_MAX; a++)
		mnl_attr_put_u64(nlh, a, base + a);
	mnl_attr_nest_end(nlh, nest);
}

static void put_port(struct nlmsghdr *nlh, uint32_t ifindex,
		     const char *name, uint32_t node)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);

	mnl_attr_put_u32(nlh, ZEC_A_PORT_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME, name);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE, node);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_DETECTED_NODE, ZEC_NODE_NONE);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE_OVERRIDE, node);
	mnl_attr_put_u8(nlh, ZEC_A_PORT_ENABLED, 1);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_STATE, ZEC_PORT_STATE_DOWN);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_DOWN_REASONS,
			 ZEC_PORT_DOWN_CARRIER | ZEC_PORT_DOWN_UP_DELAY);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_SPEED_MBPS, 25000);
	mnl_attr_put_u32(nlh, UNKNOWN_ATTR, 7);
	put_stats(nlh, ZEC_A_PORT_STATS, 1000 * ifindex);
	if (ifindex == 12) {
		struct nlattr *rate = mnl_attr_nest_start(nlh, ZEC_A_PORT_RATE);

		mnl_attr_put_u32(nlh, ZEC_A_RATE_PERCENT, 90);
		mnl_attr_put_u64(nlh, ZEC_A_RATE_BPS, 9000000000ULL);
		mnl_attr_put_u32(nlh, ZEC_A_RATE_MODE, ZEC_RATE_MODE_SHAPE);
		mnl_attr_put(nlh, ZEC_A_RATE_INHERITED, 0, NULL);
		mnl_attr_put_u64(nlh, ZEC_A_RATE_ACTIVE_BPS, 22500000000ULL);
		mnl_attr_put_u32(nlh, ZEC_A_RATE_ACTIVE_BURST, 2812500);
		mnl_attr_nest_end(nlh, rate);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_node(struct nlmsghdr *nlh, uint32_t id, uint32_t select,
		     const uint32_t *ports, size_t n_ports)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_NODE);
	size_t i;

	mnl_attr_put_u32(nlh, ZEC_A_NODE_ID, id);
	mnl_attr_put_u32(nlh, ZEC_A_NODE_SELECT, select);
	mnl_attr_put_u32(nlh, ZEC_A_NODE_DISTANCE, 10 + 11 * id);
	for (i = 0; i < n_ports; i++)
		mnl_attr_put_u32(nlh, ZEC_A_NODE_PORT, ports[i]);
	put_stats(nlh, ZEC_A_NODE_STATS, 100 * id);
	mnl_attr_nest_end(nlh, nest);
}

/* A stats reply with two ports and two nodes; the first served by both. */
static struct nlmsghdr *device_msg(void)
{
	static const uint32_t both[] = { 11, 12 };
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_STATS_GET);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 42);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_MODE, ZEC_MODE_INDEPENDENT);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_UP_DELAY_MS, 600000);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT, 3);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_RX_PORT, 12);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_RX_PORT_ACTIVE, 11);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_MAC_TABLE_SIZE, 65536);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_MAC_AGEING_MS, 3600000);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_MAC_COUNT, 4097);
	mnl_attr_put_u64(nlh, ZEC_A_DEV_PROBE_ROUNDS_NO_SOURCE, 1ULL << 40);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_ANNOUNCE_COUNT, 16);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_ANNOUNCE_INTERVAL_MS, 250);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_ANNOUNCE_RATE, 1000000);
	mnl_attr_put_u64(nlh, ZEC_A_DEV_FAILOVER_COUNT, 9);
	mnl_attr_put_u64(nlh, ZEC_A_DEV_LAST_FAILOVER_NS, UINT64_MAX);
	mnl_attr_put_strz(nlh, UNKNOWN_ATTR, "from a newer kernel");
	put_port(nlh, 11, "eth1", 0);
	put_port(nlh, 12, "eth2", 1);
	put_node(nlh, 0, ZEC_SELECT_LOCAL, both, 2);
	put_node(nlh, 1, ZEC_SELECT_NONE, NULL, 0);
	put_stats(nlh, ZEC_A_DEV_STATS, 0);
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_RATE);
	mnl_attr_put_u64(nlh, ZEC_A_RATE_PPS, 1000000);
	mnl_attr_put_u32(nlh, ZEC_A_RATE_BURST, 65536);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static const char *test_device_fields(void)
{
	struct nlmsghdr *nlh = device_msg();
	struct zec_device dev;
	const struct zec_port *p;
	const struct zec_node *n;

	CHECK(zec_parse_device(nlh, nlh->nlmsg_len, &dev) == 0);
	CHECK(dev.ifindex == 5 && !strcmp(dev.ifname, "zec0"));
	CHECK(dev.generation == 42);
	CHECK(dev.config->mode == ZEC_MODE_INDEPENDENT);
	CHECK(dev.config->up_delay_ms == 600000 &&
	      dev.config->garp_count == 3);
	CHECK(dev.config->rx_port_ifindex == 12 && dev.rx_port_active == 11);
	CHECK(dev.config->mac_table_size == 65536 &&
	      dev.config->mac_ageing_ms == 3600000 && dev.mac_count == 4097);
	CHECK(dev.probe_rounds_no_source == 1ULL << 40);
	CHECK(dev.config->announce_count == 16 &&
	      dev.config->announce_interval_ms == 250 &&
	      dev.config->announce_rate == 1000000);
	CHECK(dev.failover_count == 9 && dev.last_failover_ns == UINT64_MAX);
	CHECK(dev.stats->tx_local_packets == ZEC_A_STATS_TX_LOCAL_PACKETS);
	CHECK(dev.stats->rx_reflections == ZEC_A_STATS_RX_REFLECTIONS);
	CHECK(dev.stats->rx_flood_duplicates ==
	      ZEC_A_STATS_RX_FLOOD_DUPLICATES);
	CHECK(dev.stats->announcements == ZEC_A_STATS_ANNOUNCEMENTS);
	CHECK(dev.stats->failovers == ZEC_A_STATS_FAILOVERS);
	CHECK(dev.n_ports == 2 && dev.n_nodes == 2);
	p = dev.ports[1];
	CHECK(p->ifindex == 12 && !strcmp(p->ifname, "eth2"));
	CHECK(p->node == 1 && p->node_override == 1);
	CHECK(p->detected_node == ZEC_NODE_NONE);
	CHECK(p->enabled && p->state == ZEC_PORT_STATE_DOWN);
	CHECK(p->down_reasons == (ZEC_PORT_DOWN_CARRIER |
				  ZEC_PORT_DOWN_UP_DELAY));
	CHECK(p->speed_mbps == 25000);
	CHECK(p->stats->rx_bytes == 12000 + ZEC_A_STATS_RX_BYTES);
	CHECK(p->stats->drop_rate == 12000 + ZEC_A_STATS_DROP_RATE);
	CHECK(p->stats->announcements == 12000 + ZEC_A_STATS_ANNOUNCEMENTS);
	CHECK(p->rate && p->rate->percent == 90 && p->rate->inherited);
	CHECK(p->rate->sz == sizeof(struct zec_rate));
	CHECK(p->rate->bps == 9000000000ULL && !p->rate->pps);
	CHECK(p->rate->mode == ZEC_RATE_MODE_SHAPE);
	CHECK(p->rate->active_bps == 22500000000ULL);
	CHECK(p->rate->active_burst == 2812500);
	CHECK(!dev.ports[0]->rate && !dev.probe);
	CHECK(dev.rate && dev.rate->pps == 1000000 && !dev.rate->percent);
	CHECK(dev.rate->burst == 65536 && !dev.rate->inherited);
	n = zec_device_node(&dev, 0);
	CHECK(n && n->select == ZEC_SELECT_LOCAL && n->distance == 10);
	CHECK(n->n_ports == 2 && n->port_ifindex[0] == 11 &&
	      n->port_ifindex[1] == 12);
	n = zec_device_node(&dev, 1);
	CHECK(n && n->select == ZEC_SELECT_NONE && n->n_ports == 0);
	CHECK(n->stats->submitted_packets == 100 +
	      ZEC_A_STATS_SUBMITTED_PACKETS);
	CHECK(!zec_device_node(&dev, 2));
	zec_device_free(&dev);
	CHECK(dev.ports == NULL && dev.n_ports == 0 && !dev.config);
	CHECK(dev.sz == sizeof(dev));
	return NULL;
}

static const char *test_port_defaults(void)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_DEV_GET);
	struct nlattr *nest;
	struct zec_device dev;

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
	mnl_attr_put_u32(nlh, ZEC_A_PORT_IFINDEX, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK(zec_parse_device(nlh, nlh->nlmsg_len, &dev) == 0);
	CHECK(dev.n_ports == 1);
	CHECK(dev.ports[0]->node_override == ZEC_NODE_NONE);
	CHECK(dev.ports[0]->node == ZEC_NODE_NONE);
	CHECK(dev.ports[0]->speed_mbps == ZEC_SPEED_UNKNOWN);
	CHECK(!dev.ports[0]->stats && !dev.stats && !dev.rate);
	CHECK(dev.config && !dev.config->mode);
	zec_device_free(&dev);
	return NULL;
}

/* As many probe targets as the kernel sends: its limit is not baked in. */
static const char *test_probe_targets(void)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_DEV_GET);
	const struct zec_probe_config *p;
	struct nlattr *nest;
	struct zec_device dev;
	uint32_t i, n = ZEC_PROBE_TARGETS_MAX * 2;
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PROBE);
	for (i = 0; i < n - 1; i++)
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_TARGET_IPV4, htonl(i));
	mnl_attr_put(nlh, ZEC_A_PROBE_TARGET_IPV6, sizeof(v6), v6);
	mnl_attr_put_u32(nlh, ZEC_A_PROBE_INTERVAL_MS, 100);
	mnl_attr_nest_end(nlh, nest);
	CHECK(zec_parse_device(nlh, nlh->nlmsg_len, &dev) == 0);
	p = dev.probe;
	CHECK(p && p->sz == sizeof(*p) && p->interval_ms == 100);
	CHECK(p->n_targets == n && p->targets[1].family == AF_INET);
	CHECK(p->targets[1].addr.v4[3] == 1);
	CHECK(p->targets[n - 1].family == AF_INET6);
	CHECK(!memcmp(p->targets[n - 1].addr.v6, v6, sizeof(v6)));
	zec_device_free(&dev);
	return NULL;
}

/* Every cut of a valid message is rejected and never read past. */
static const char *test_truncated(void)
{
	struct nlmsghdr *nlh = device_msg();
	uint32_t full = nlh->nlmsg_len, len;
	struct zec_device dev;
	char *copy;
	int err;

	for (len = 0; len < full; len++) {
		/* the header claims more than there is */
		copy = malloc(len ? len : 1);
		memcpy(copy, nlh, len);
		CHECK(zec_parse_device(copy, len, &dev) == -EINVAL);
		/* the header agrees with the cut: whole attributes only */
		if (len >= NLMSG_HDRLEN) {
			((struct nlmsghdr *)copy)->nlmsg_len = len;
			err = zec_parse_device(copy, len, &dev);
			CHECK(err == 0 || err == -EINVAL);
			zec_device_free(&dev);
		}
		free(copy);
	}
	return NULL;
}

static const char *expect_invalid_device(struct nlmsghdr *nlh)
{
	struct zec_device dev;

	CHECK(zec_parse_device(nlh, nlh->nlmsg_len, &dev) == -EINVAL);
	CHECK(dev.ports == NULL && dev.nodes == NULL);
	return NULL;
}

static const char *test_wrong_sizes(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *why;
	char name[20];

	nlh = genl_msg(ZEC_CMD_DEV_GET);
	mnl_attr_put_u16(nlh, ZEC_A_DEV_IFINDEX, 5);
	why = expect_invalid_device(nlh);
	if (why)
		return why;

	nlh = genl_msg(ZEC_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put(nlh, ZEC_A_DEV_IFNAME, 4, "zec0");	/* no NUL */
	why = expect_invalid_device(nlh);
	if (why)
		return why;

	nlh = genl_msg(ZEC_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	memset(name, 'z', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, name);	/* > IFNAMSIZ */
	why = expect_invalid_device(nlh);
	if (why)
		return why;

	/* a bad attribute deep inside, after ports were allocated */
	nlh = device_msg();
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_NODE);
	mnl_attr_put_u64(nlh, ZEC_A_NODE_PORT, 1);
	mnl_attr_nest_end(nlh, nest);
	return expect_invalid_device(nlh);
}

static const char *test_missing_identity(void)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_DEV_GET);

	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	return expect_invalid_device(nlh);
}

/* Deterministic garbage: corrupt bytes of a valid message, then noise. */
static const char *test_garbage(void)
{
	struct nlmsghdr *nlh = device_msg();
	uint32_t full = nlh->nlmsg_len;
	unsigned int seed = 1;
	char *copy = malloc(full);
	struct zec_device dev;
	struct zec_event ev;
	int i, j, err;

	for (i = 0; i < 20000; i++) {
		memcpy(copy, nlh, full);
		for (j = 0; j < 1 + i % 8; j++)
			copy[NLMSG_HDRLEN + rand_r(&seed) % (full - NLMSG_HDRLEN)] =
				(char)rand_r(&seed);
		if (i % 2)
			for (j = NLMSG_HDRLEN; j < (int)full; j++)
				copy[j] = (char)rand_r(&seed);
		err = zec_parse_device(copy, full, &dev);
		CHECK(err == 0 || err == -EINVAL);
		zec_device_free(&dev);
		err = zec_parse_event(copy, full, &ev);
		zec_event_clear(&ev);
		CHECK(err == 0 || err == -EINVAL || err == -ENOMSG);
	}
	free(copy);
	return NULL;
}

static const char *test_failover_event(void)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_FAILOVER_NTF);
	struct nlattr *nest;
	struct zec_event ev;

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 8);
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_EVENT);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_REASON, ZEC_REASON_CARRIER);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_NODE, 1);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_FROM_IFINDEX, 11);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_TO_IFINDEX, 12);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_SELECT, ZEC_SELECT_NEAREST);
	mnl_attr_put_u64(nlh, ZEC_A_EVENT_TIMESTAMP_NS, 123456789012ULL);
	mnl_attr_nest_end(nlh, nest);
	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == 0);
	CHECK(ev.type == ZEC_EVENT_FAILOVER && ev.ifindex == 5);
	CHECK(!strcmp(ev.ifname, "zec0") && ev.generation == 8);
	CHECK(ev.reason == ZEC_REASON_CARRIER && ev.node == 1);
	CHECK(ev.from_ifindex == 11 && ev.to_ifindex == 12);
	CHECK(ev.select == ZEC_SELECT_NEAREST);
	CHECK(ev.timestamp_ns == 123456789012ULL);
	CHECK(!ev.port && !ev.config && !ev.probe);
	zec_event_clear(&ev);
	return NULL;
}

static const char *test_port_event(void)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_PORT_STATE_NTF);
	struct zec_event ev;

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 9);
	put_port(nlh, 11, "eth1", 0);
	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == 0);
	CHECK(ev.type == ZEC_EVENT_PORT_STATE && ev.generation == 9);
	CHECK(ev.port && ev.port->ifindex == 11);
	CHECK(!strcmp(ev.port->ifname, "eth1"));
	CHECK(ev.port->state == ZEC_PORT_STATE_DOWN);
	CHECK(ev.node == ZEC_NODE_NONE);
	zec_event_clear(&ev);

	nlh = genl_msg(ZEC_CMD_DEV_GET);	/* a reply, not an event */
	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == -ENOMSG);
	CHECK(!ev.ifindex);		/* no generation: nothing to track */
	nlh = genl_msg(250);
	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == -ENOMSG);
	/* a later kernel's notification: no event, but its generation */
	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 7);
	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == -ENOMSG);
	CHECK(!ev.type && ev.ifindex == 5 && ev.generation == 7);
	return NULL;
}

/* A notification of a command libzec does not know, of device 5. */
static struct nlmsghdr *unknown_ntf_msg(uint32_t gen)
{
	struct nlmsghdr *nlh = genl_msg(250);

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, gen);
	mnl_attr_put_u32(nlh, UNKNOWN_ATTR, 1);
	return nlh;
}

/* A receive port notification of device 5 at generation gen. */
static struct nlmsghdr *rx_port_msg(uint32_t gen)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_RX_PORT_NTF);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, gen);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_RX_PORT_ACTIVE, 12);
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_EVENT);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_REASON, ZEC_REASON_PROBE);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_FROM_IFINDEX, 11);
	mnl_attr_put_u32(nlh, ZEC_A_EVENT_TO_IFINDEX, 12);
	mnl_attr_put_u64(nlh, ZEC_A_EVENT_TIMESTAMP_NS, 987654321ULL);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static const char *test_rx_port_event(void)
{
	struct nlmsghdr *nlh = rx_port_msg(21);
	struct zec_event ev;

	CHECK(zec_parse_event(nlh, nlh->nlmsg_len, &ev) == 0);
	CHECK(ev.type == ZEC_EVENT_RX_PORT && ev.ifindex == 5);
	CHECK(ev.generation == 21 && ev.rx_port_active == 12);
	CHECK(ev.from_ifindex == 11 && ev.to_ifindex == 12);
	CHECK(ev.reason == ZEC_REASON_PROBE && ev.timestamp_ns == 987654321);
	CHECK(!ev.port && !ev.config);
	zec_event_clear(&ev);
	return NULL;
}

/* One ZEC_A_DEV_MAC nest; addr_len other than 6 for a broken one. */
static void put_mac(struct nlmsghdr *nlh, uint8_t last, size_t addr_len,
		    bool with_node)
{
	uint8_t addr[8] = { 0x52, 0x54, 0x00, 0x12, 0x34, last, 0, 0 };
	struct nlattr *nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_MAC);

	if (addr_len)
		mnl_attr_put(nlh, ZEC_A_MAC_ADDR, addr_len, addr);
	if (with_node)
		mnl_attr_put_u32(nlh, ZEC_A_MAC_NODE, last % 2);
	mnl_attr_put_u32(nlh, ZEC_A_MAC_PORT_IFINDEX, 11 + last % 2);
	mnl_attr_put_u32(nlh, ZEC_A_MAC_AGE_MS, 1000u * last);
	mnl_attr_put_u32(nlh, UNKNOWN_ATTR, 7);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *macs_msg(uint32_t ifindex)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_MAC_GET);

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 3);
	return nlh;
}

/* A MAC dump in two messages; a MAC without address, another device. */
static const char *test_macs(void)
{
	struct zec_mac_list *list = calloc(1, sizeof(*list));
	const struct zec_mac *m;
	struct nlmsghdr *nlh;
	struct zec_handle *h;

	CHECK(list);
	nlh = macs_msg(5);
	put_mac(nlh, 1, 6, true);
	put_mac(nlh, 2, 6, true);
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == 0);
	nlh = macs_msg(5);
	put_mac(nlh, 3, 6, false);
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == 0);
	nlh = macs_msg(5);		/* a message with none is fine */
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == 0);
	CHECK(zec_mac_list_count(list) == 3 && list->ifindex == 5);
	m = zec_mac_list_at(list, 1);
	CHECK(m && !memcmp(zec_mac_addr(m), "\x52\x54\x00\x12\x34\x02", 6));
	CHECK(zec_mac_node(m) == 0 && zec_mac_port_ifindex(m) == 11);
	CHECK(zec_mac_age_ms(m) == 2000);
	m = zec_mac_list_at(list, 2);
	CHECK(m && zec_mac_addr(m)[5] == 3 && zec_mac_node(m) == ZEC_NODE_NONE);
	CHECK(zec_mac_port_ifindex(m) == 12 && zec_mac_age_ms(m) == 3000);
	CHECK(!zec_mac_list_at(list, 3));

	nlh = macs_msg(6);		/* another device in the same dump */
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == -EINVAL);
	nlh = macs_msg(0);
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == -EINVAL);
	nlh = macs_msg(5);
	put_mac(nlh, 4, 0, true);	/* no address */
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == -EINVAL);
	/* said, as the library's other errors are */
	CHECK(zec_open(&h) == 0);
	CHECK(zec_parse_macs(h, nlh, nlh->nlmsg_len, list) == -EINVAL);
	CHECK(zec_last_error(h) && strstr(zec_last_error(h), "malformed"));
	nlh = macs_msg(6);
	CHECK(zec_parse_macs(h, nlh, nlh->nlmsg_len, list) == -EINVAL);
	CHECK(zec_last_error(h) && strstr(zec_last_error(h), "two devices"));
	zec_close(h);
	nlh = macs_msg(5);
	put_mac(nlh, 4, 5, true);	/* a short one */
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == -EINVAL);
	nlh = macs_msg(5);
	put_mac(nlh, 4, 8, true);	/* a long one */
	CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == -EINVAL);
	CHECK(zec_mac_list_count(list) == 3);
	zec_mac_list_free(list);
	zec_mac_list_free(NULL);
	return NULL;
}

/*
 * A dump of thousands of MACs: the array moves a few times, not once per
 * MAC (ASan's realloc() always moves, so a move is a reallocation).
 */
static const char *test_macs_growth(void)
{
	struct zec_mac_list *list = calloc(1, sizeof(*list));
	const struct zec_mac *last = NULL;
	struct nlmsghdr *nlh;
	int i, moves = 0;

	CHECK(list);
	for (i = 0; i < 4096; i++) {
		nlh = macs_msg(5);
		put_mac(nlh, (uint8_t)i, 6, true);
		CHECK(zec_parse_macs(NULL, nlh, nlh->nlmsg_len, list) == 0);
		moves += list->macs != last;
		last = list->macs;
	}
	CHECK(zec_mac_list_count(list) == 4096 && moves <= 16);
	zec_mac_list_free(list);
	return NULL;
}

/* An NLMSG_ERROR as the kernel builds it, with or without NLM_F_CAPPED. */
static struct nlmsghdr *error_msg(int error, const char *text, bool capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(msg.bytes, 0,
							   sizeof(msg)));
	struct nlmsgerr *err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));

	nlh->nlmsg_type = NLMSG_ERROR;
	err->error = error;
	err->msg.nlmsg_len = NLMSG_HDRLEN + 8;	/* the request's length */
	if (!capped)
		mnl_nlmsg_put_extra_header(nlh, 8);	/* its echoed payload */
	else
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 24);
	}
	return nlh;
}

static const char *test_ack(void)
{
	struct nlmsghdr *nlh;
	char text[64];

	nlh = error_msg(-EBUSY, "port already has a master", true);
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) ==
	      -EBUSY);
	CHECK(!strcmp(text, "port already has a master"));
	nlh = error_msg(-EINVAL, "node 7 is not possible", false);
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) ==
	      -EINVAL);
	CHECK(!strcmp(text, "node 7 is not possible"));
	nlh = error_msg(-EINVAL, "a long message", true);
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, 7) == -EINVAL);
	CHECK(!strcmp(text, "a long"));
	nlh = error_msg(0, NULL, true);
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) == 0);
	CHECK(text[0] == 0);
	/* a warning: success with a message (probes without an address) */
	nlh = error_msg(0, "no IPv4 address yet", true);
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) == 0);
	CHECK(!strcmp(text, "no IPv4 address yet"));
	/* an echoed request longer than the error itself */
	nlh = error_msg(-EPERM, NULL, false);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4096;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) ==
	      -EINVAL);
	return NULL;
}

/* Whether @nlh parses to @error with the message @want. */
static bool ack_says(const struct nlmsghdr *nlh, int error, const char *want)
{
	char text[64];

	return zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) ==
	       error && !strcmp(text, want);
}

/* An error with extack @text and the refused attribute's policy nest open. */
static struct nlmsghdr *policy_error(int error, const char *text,
				     struct nlattr **nest)
{
	struct nlmsghdr *nlh = error_msg(error, text, true);

	*nest = mnl_attr_nest_start(nlh, NLMSGERR_ATTR_POLICY);
	return nlh;
}

/* A value the policy refused: the message gains the attribute's range. */
static const char *test_ack_range(void)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh;

	nlh = policy_error(-ERANGE, "integer out of range", &nest);
	mnl_attr_put_u32(nlh, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U64);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1000);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U,
			 10000000000000ULL);
	mnl_attr_nest_end(nlh, nest);
	CHECK(ack_says(nlh, -ERANGE,
		       "integer out of range (valid: 1000 to 10000000000000)"));
	/* a policy without bounds (a string's) adds nothing */
	nlh = policy_error(-ERANGE, "string too long", &nest);
	mnl_attr_put_u32(nlh, NL_POLICY_TYPE_ATTR_MAX_LENGTH, 15);
	mnl_attr_nest_end(nlh, nest);
	CHECK(ack_says(nlh, -ERANGE, "string too long"));
	/* bounds that are not a u64 are left out, the error stands */
	nlh = policy_error(-ERANGE, "integer out of range", &nest);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1);
	mnl_attr_put_u32(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 100);
	mnl_attr_nest_end(nlh, nest);
	CHECK(ack_says(nlh, -ERANGE, "integer out of range"));
	/* a wrong length comes with the policy too: no bounds then */
	nlh = policy_error(-EINVAL, "invalid attribute length", &nest);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 2);
	mnl_attr_nest_end(nlh, nest);
	CHECK(ack_says(nlh, -EINVAL, "invalid attribute length"));
	return NULL;
}

static const char *test_dump_done(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(msg.bytes, 0,
							   sizeof(msg)));
	int *error = mnl_nlmsg_put_extra_header(nlh, sizeof(*error));
	char text[64];

	nlh->nlmsg_type = NLMSG_DONE;
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) == 0);
	*error = -ENOBUFS;
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump interrupted");
	CHECK(zec_parse_ack(nlh, nlh->nlmsg_len, text, sizeof(text)) ==
	      -ENOBUFS);
	CHECK(!strcmp(text, "dump interrupted"));
	CHECK(zec_parse_ack(nlh, NLMSG_HDRLEN, text, sizeof(text)) ==
	      -EINVAL);
	return NULL;
}

static void put_group(struct nlmsghdr *nlh, uint16_t index, const char *name,
		      uint32_t id)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, index);

	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_nest_end(nlh, nest);
}

static const char *test_family(void)
{
	struct nlmsghdr *nlh = genl_msg(CTRL_CMD_NEWFAMILY);
	struct zec_family family;
	struct nlattr *groups;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZEC_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, 1, "other", 7);
	put_group(nlh, 2, ZEC_MCGRP_MONITOR, 9);
	mnl_attr_nest_end(nlh, groups);
	CHECK(zec_parse_family(nlh, nlh->nlmsg_len, &family) == 0);
	CHECK(family.id == 0x1d && family.monitor_group == 9);
	return NULL;
}

static const char *test_generation_gaps(void)
{
	struct zec_gen_table table = { 0, NULL };

	CHECK(zec_gen_track(&table, 5, 10) == 0);	/* first sighting */
	CHECK(zec_gen_track(&table, 5, 11) == 0);
	CHECK(zec_gen_track(&table, 6, 1) == 0);	/* another device */
	CHECK(zec_gen_track(&table, 5, 13) == 1);	/* 12 was lost */
	CHECK(zec_gen_track(&table, 5, 14) == 0);
	CHECK(zec_gen_track(&table, 5, 3) == 0);	/* ifindex reused */
	CHECK(zec_gen_track(&table, 7, UINT32_MAX) == 0);
	CHECK(zec_gen_track(&table, 7, 0) == 0);	/* wraps */
	CHECK(zec_gen_track(&table, 7, 2) == 1);	/* 1 was lost */
	CHECK(table.n == 3);
	zec_gen_clear(&table);
	CHECK(table.n == 0 && !table.entries);
	return NULL;
}

/* Send a port notification of device 5 at generation gen to fd. */
static bool notify(int fd, uint32_t gen)
{
	struct nlmsghdr *nlh = genl_msg(ZEC_CMD_PORT_STATE_NTF);

	mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, gen);
	put_port(nlh, 11, "eth1", 0);
	return send(fd, nlh, nlh->nlmsg_len, 0) == (ssize_t)nlh->nlmsg_len;
}

/* The device dump's one reply and its end, for request seq. */
static bool dump_reply(int fd, uint32_t seq)
{
	struct nlmsghdr *nlh = device_msg();

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags = NLM_F_MULTI;
	if (send(fd, nlh, nlh->nlmsg_len, 0) != (ssize_t)nlh->nlmsg_len)
		return false;
	nlh = mnl_nlmsg_put_header(memset(msg.bytes, 0, sizeof(msg)));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	return send(fd, nlh, nlh->nlmsg_len, 0) == (ssize_t)nlh->nlmsg_len;
}

/*
 * A handle whose event socket is one end of a non-blocking socket pair;
 * the test plays the kernel at sv[1]. NULL if it cannot be made.
 */
static struct zec_handle *fake_event_handle(int sv[2])
{
	struct zec_handle *h;

	if (zec_open(&h))
		return NULL;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
	    fcntl(sv[0], F_SETFL, O_NONBLOCK) ||
	    fcntl(sv[1], F_SETFL, O_NONBLOCK) ||
	    !(h->monitor = mnl_socket_fdopen(sv[0])) ||
	    !(h->event_buf = malloc(ZEC_RECV_SIZE))) {
		zec_close(h);
		return NULL;
	}
	h->family.id = FAMILY_ID;
	return h;
}

/*
 * The resync after a generation gap never blocks: the dump goes out on the
 * event socket, whose replies zec_event_read() takes when they come. The
 * "kernel" here is the other end of a socket pair.
 */
static const char *test_resync_nonblocking(void)
{
	struct zec_event evs[4] = { { .sz = sizeof(evs[0]) } };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct zec_handle *h;
	uint32_t seq;
	int sv[2];

	CHECK((h = fake_event_handle(sv)));

	/* generation 1, then 3: a gap */
	CHECK(notify(sv[1], 1) && notify(sv[1], 3));
	CHECK(zec_event_read(h, evs, 4) == 2);
	CHECK(evs[0].generation == 1 && evs[1].generation == 3);
	CHECK(evs[1].type == ZEC_EVENT_PORT_STATE && evs[1].sz == sizeof(evs[0]));
	/* ... returned with the dump asked for and not answered */
	nlh = (struct nlmsghdr *)msg.bytes;
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) > 0);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK(nlh->nlmsg_type == FAMILY_ID && genl->cmd == ZEC_CMD_DEV_GET);
	CHECK((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	seq = nlh->nlmsg_seq;
	CHECK(zec_event_read(h, evs, 4) == 0);

	/* another gap meanwhile: no second dump on the socket (-EBUSY) ... */
	CHECK(notify(sv[1], 10));
	CHECK(zec_event_read(h, evs, 4) == 1 && evs[0].generation == 10);
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) < 0 && errno == EAGAIN);
	/* ... but one more once this one ended, and no resync yet */
	CHECK(dump_reply(sv[1], seq));
	CHECK(zec_event_read(h, evs, 4) == 0);
	nlh = (struct nlmsghdr *)msg.bytes;
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) > 0);
	CHECK(nlh->nlmsg_seq != seq && (nlh->nlmsg_flags & NLM_F_DUMP));
	seq = nlh->nlmsg_seq;

	/* a notification before the reply, the reply, its end */
	CHECK(notify(sv[1], 4));
	CHECK(dump_reply(sv[1], seq));
	CHECK(zec_event_read(h, evs, 4) == 2);
	CHECK(evs[0].type == ZEC_EVENT_PORT_STATE && evs[0].generation == 4);
	CHECK(evs[1].type == ZEC_EVENT_RESYNC && evs[1].ifindex == 5);
	CHECK(!evs[1].resync_err && evs[1].n_devs == 1);
	CHECK(evs[1].devs[0]->generation == 42 &&
	      !strcmp(evs[1].devs[0]->ifname, "zec0"));

	/* tracking goes on from the dump: 43 is no gap, no second dump */
	CHECK(notify(sv[1], 43));
	CHECK(zec_event_read(h, evs, 4) == 1 && evs[0].generation == 43);
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) < 0 && errno == EAGAIN);
	zec_close(h);
	close(sv[1]);
	return NULL;
}

/* Send nlh to fd. */
static bool send_msg(int fd, const struct nlmsghdr *nlh)
{
	return send(fd, nlh, nlh->nlmsg_len, 0) == (ssize_t)nlh->nlmsg_len;
}

/*
 * A receive port notification is an event like the others, and its
 * generation counts: no resync for it (libzec 1.0 dropped it unparsed and
 * saw a gap at the next event).
 */
static const char *test_rx_port_event_gen(void)
{
	struct zec_event evs[4] = { { .sz = sizeof(evs[0]) } };
	struct zec_handle *h;
	int sv[2];

	CHECK((h = fake_event_handle(sv)));

	CHECK(notify(sv[1], 1) && send_msg(sv[1], rx_port_msg(2)) &&
	      notify(sv[1], 3));
	CHECK(zec_event_read(h, evs, 4) == 3);
	CHECK(evs[1].type == ZEC_EVENT_RX_PORT && evs[1].rx_port_active == 12);
	CHECK(evs[1].sz == sizeof(evs[0]) && evs[2].generation == 3);
	/* no resync dump went out */
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) < 0 && errno == EAGAIN);

	/* a 1.0 program does not get it, and no resync either */
	CHECK(notify(sv[1], 4) && send_msg(sv[1], rx_port_msg(5)) &&
	      notify(sv[1], 6));
	CHECK(zec_event_read_1_0(h, evs, 4) == 2);
	CHECK(evs[0].generation == 4 && evs[1].generation == 6);
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) < 0 && errno == EAGAIN);
	zec_close(h);
	close(sv[1]);
	return NULL;
}

/*
 * A notification a later kernel added is not handed out, but its
 * generation counts: no resync at the device's next event.
 */
static const char *test_unknown_ntf_gen(void)
{
	struct zec_event evs[4] = { { .sz = sizeof(evs[0]) } };
	struct zec_handle *h;
	int sv[2];

	CHECK((h = fake_event_handle(sv)));
	CHECK(notify(sv[1], 1) && send_msg(sv[1], unknown_ntf_msg(2)) &&
	      notify(sv[1], 3));
	CHECK(zec_event_read(h, evs, 4) == 2);
	CHECK(evs[0].generation == 1 && evs[1].generation == 3);
	CHECK(evs[1].type == ZEC_EVENT_PORT_STATE);
	/* no resync dump went out */
	CHECK(recv(sv[1], msg.bytes, sizeof(msg), 0) < 0 && errno == EAGAIN);
	zec_close(h);
	close(sv[1]);
	return NULL;
}

/* More failovers in one datagram than zecctl monitor reads at once. */
#define MONITOR_BATCH 40

/* Lines read from fd until want or 2 s without more. */
static int lines_within(int fd, int want)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int lines = 0;
	char buf[512];
	ssize_t got, i;

	while (lines < want && poll(&pfd, 1, 2000) > 0) {
		got = read(fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (i = 0; i < got; i++)
			lines += buf[i] == '\n';
	}
	return lines;
}

/*
 * zecctl monitor reads until zec_event_read() returns 0: the events of a
 * datagram past its array do not wait for the next one.
 */
static const char *test_monitor_batch(void)
{
	static union {
		char bytes[MONITOR_BATCH * 64];
		uint64_t align;
	} batch;
	struct zecctl_req req = { .object = &monitor_object };
	struct nlmsghdr *nlh;
	struct zec_handle *h;
	struct out o;
	int sv[2], out[2], lines;
	size_t len = 0;
	uint32_t gen;
	pid_t pid;

	CHECK((h = fake_event_handle(sv)));
	CHECK(pipe(out) == 0);
	for (gen = 1; gen <= MONITOR_BATCH; gen++) {
		nlh = genl_msg(ZEC_CMD_FAILOVER_NTF);
		mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, 5);
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0");
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, gen);
		CHECK(len + NLMSG_ALIGN(nlh->nlmsg_len) <= sizeof(batch));
		memcpy(batch.bytes + len, nlh, nlh->nlmsg_len);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	CHECK(send(sv[1], batch.bytes, len, 0) == (ssize_t)len);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		close(out[0]);
		out_init(&o, fdopen(out[1], "w"), false, false);
		monitor_object.run(h, &req, &o);
		_exit(1);
	}
	close(out[1]);
	lines = lines_within(out[0], MONITOR_BATCH);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(out[0]);
	zec_close(h);
	close(sv[1]);
	CHECK(lines == MONITOR_BATCH);
	return NULL;
}

const struct unit_test parse_tests[] = {
	{ "parse: device reply with ports, nodes and stats", test_device_fields },
	{ "parse: absent port attributes mean unknown", test_port_defaults },
	{ "parse: probe targets past the uapi's limit of today",
	  test_probe_targets },
	{ "parse: every truncation is rejected safely", test_truncated },
	{ "parse: wrong sizes and bad names are rejected", test_wrong_sizes },
	{ "parse: a device without ifindex is rejected", test_missing_identity },
	{ "parse: corrupted and random bytes never crash", test_garbage },
	{ "parse: failover notification", test_failover_event },
	{ "parse: port notification; replies are not events", test_port_event },
	{ "parse: receive port notification", test_rx_port_event },
	{ "parse: source-MAC dump, over messages; bad MACs refused",
	  test_macs },
	{ "parse: a source-MAC dump's array grows geometrically",
	  test_macs_growth },
	{ "parse: errors and warnings, with and without extack", test_ack },
	{ "parse: a refused value's range in the message", test_ack_range },
	{ "parse: dump end with an error", test_dump_done },
	{ "parse: family id and monitor group", test_family },
	{ "events: generation gaps, wrap and reuse", test_generation_gaps },
	{ "events: a resync dump never blocks and hands over the state",
	  test_resync_nonblocking },
	{ "events: a receive port notification counts in the generations",
	  test_rx_port_event_gen },
	{ "events: a notification of an unknown command counts in the generations",
	  test_unknown_ntf_gen },
	{ "events: zecctl monitor prints every event of one datagram",
	  test_monitor_batch },
	{ NULL, NULL },
};
