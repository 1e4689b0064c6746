// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-guest netlink fuzzer of family zec, for selftests/zec/fuzz.sh:
 *
 *   nlfuzz fuzz [-s SEED] [-n COUNT] [-u]
 *       send COUNT random and mutated requests: every command number and
 *       invalid ones, NLM_F_DUMP on doit-only commands and the reverse,
 *       attributes of every type and of unknown ones with right and wrong
 *       lengths, real and bogus ifindexes and names, nests in and out of
 *       place with lying lengths, truncated and overlong headers. Every
 *       reply must be a well-formed message; with -u (run it without
 *       CAP_NET_ADMIN) no command that changes state may succeed. The seed
 *       (default: from the clock) is printed first; the same seed replays
 *       the same messages against the same devices.
 *   nlfuzz dump DEVICES PORTS
 *       dump DEV_GET and STATS_GET: each must list DEVICES devices holding
 *       PORTS ports in all, in well-formed messages
 *
 * Prints "ok ..." / "FAIL ..." lines and exits 0 only if all passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/zec.h>

#include "nlhelp.h"

/* Large enough for the largest message put_attrs can build. */
#define FUZZ_BUF_SIZE	(128 * 1024)

static uint64_t rng_state;

/* splitmix64: small, and the same sequence everywhere for a seed */
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? rnd64() % n : 0;
}

static struct if_nameindex *links;
static unsigned int nr_links;

static uint32_t pick_ifindex(void)
{
	static const uint32_t odd[] = { 0, 1, 0x7fffffff, 0x80000000,
					0xffffffff };

	if (nr_links && rnd(4))
		return links[rnd(nr_links)].if_index;
	return rnd(2) ? odd[rnd(sizeof(odd) / sizeof(odd[0]))] : rnd(256);
}

static uint32_t pick_u32(void)
{
	static const uint32_t odd[] = {
		0, 1, 2, 3, 255, 256, ZEC_NODE_ID_MAX, ZEC_NODE_ID_MAX + 1,
		ZEC_UP_DELAY_MS_MAX, ZEC_UP_DELAY_MS_MAX + 1, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff,
	};

	return rnd(4) ? odd[rnd(sizeof(odd) / sizeof(odd[0]))] :
			(uint32_t)rnd64();
}

static void put_name(struct nlmsghdr *nlh, uint16_t type)
{
	static const char *const odd[] = {
		"", "lo", "zec0-this-is-far-too-long", "zec0\n", "%s%n",
		"n0p0.", "..",
	};

	switch (rnd(5)) {
	case 0:
		mnl_attr_put_strz(nlh, type, odd[rnd(sizeof(odd) / sizeof(odd[0]))]);
		break;
	case 1:	/* not terminated */
		mnl_attr_put(nlh, type, 4, "zec0");
		break;
	default:
		if (nr_links)
			mnl_attr_put_strz(nlh, type,
					  links[rnd(nr_links)].if_name);
	}
}

/* Random bytes of random length: wrong length for most types. */
static void put_junk(struct nlmsghdr *nlh, uint16_t type)
{
	unsigned char junk[4096];
	size_t i, len = rnd(32) ? rnd(13) : rnd(sizeof(junk));

	/* at most 750 other attributes of under 64 bytes each follow */
	if (nlh->nlmsg_len + len > FUZZ_BUF_SIZE / 2)
		len = 0;

	for (i = 0; i < len; i++)
		junk[i] = rnd64();
	mnl_attr_put(nlh, type, len, junk);
}

/* The type a sane request would give attribute type of each space. */
enum space { DEV, PORT, RATE, PROBE, OTHER };

/* The attribute space of what nest type of space holds. */
static enum space nest_space(enum space space, uint16_t type)
{
	if (space == DEV && type == ZEC_A_DEV_PORT)
		return PORT;
	if ((space == DEV && type == ZEC_A_DEV_RATE) ||
	    (space == PORT && type == ZEC_A_PORT_RATE))
		return RATE;
	if (space == DEV && type == ZEC_A_DEV_PROBE)
		return PROBE;
	return OTHER;
}

/* A probe target: the testbed's switch peers, or ones the kernel refuses. */
static void put_target(struct nlmsghdr *nlh, uint16_t type)
{
	/* 192.0.2.10 and .11 (switch_probe_targets), 0, 127.0.0.1, multicast, broadcast */
	static const uint32_t v4[] = { 0xc000020a, 0xc000020b, 0, 0x7f000001,
				       0xe0000001, 0xffffffff };
	unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (type == ZEC_A_PROBE_TARGET_IPV4) {
		mnl_attr_put_u32(nlh, type,
				 htonl(v4[rnd(sizeof(v4) / sizeof(v4[0]))]));
		return;
	}
	/* 2001:db8::10 or ::11, :: or ::1, ff02::1 */
	switch (rnd(4)) {
	case 0:
		memset(v6, 0, sizeof(v6));
		v6[15] = rnd(2);
		break;
	case 1:
		memset(v6, 0, sizeof(v6));
		v6[0] = 0xff;
		v6[1] = 0x02;
		v6[15] = 1;
		break;
	default:
		v6[15] = 0x10 + rnd(2);
	}
	mnl_attr_put(nlh, type, sizeof(v6), v6);
}

/* A rate of type (bit/s or packet/s), within the policy most of the time. */
static uint64_t pick_rate(uint16_t type)
{
	static const uint64_t odd[] = {
		0, 1, ZEC_RATE_BPS_MIN - 1, ZEC_RATE_BPS_MIN, ZEC_RATE_BPS_MAX,
		ZEC_RATE_BPS_MAX + 1, ZEC_RATE_PPS_MAX, ZEC_RATE_PPS_MAX + 1,
		~0ULL,
	};

	if (!rnd(4))
		return odd[rnd(sizeof(odd) / sizeof(odd[0]))];
	return type == ZEC_A_RATE_PPS ? 1 + rnd(1000000) :
					1000000 + rnd64() % 10000000000ULL;
}

static void put_attrs(struct nlmsghdr *nlh, enum space space, int depth);

static void put_nest(struct nlmsghdr *nlh, uint16_t type, enum space inner,
		     int depth)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (rnd(2))
		nest->nla_type |= NLA_F_NESTED;
	put_attrs(nlh, inner, depth + 1);
	mnl_attr_nest_end(nlh, nest);
	/* a nest that claims more or less than it holds */
	if (!rnd(16))
		nest->nla_len = rnd(nest->nla_len + 16);
}

static void put_attr(struct nlmsghdr *nlh, enum space space, int depth)
{
	uint16_t max = space == DEV ? ZEC_A_DEV_MAX :
		       space == PORT ? ZEC_A_PORT_MAX :
		       space == RATE ? ZEC_A_RATE_MAX :
		       space == PROBE ? ZEC_A_PROBE_MAX : ZEC_A_STATS_MAX;
	uint16_t type = rnd(max + 3);

	if (!rnd(16))
		type |= rnd(2) ? NLA_F_NET_BYTEORDER : NLA_F_NESTED;
	if (!rnd(8)) {
		put_junk(nlh, type);
		return;
	}
	if (depth < 3 && (!rnd(10) ||
			  (space == DEV && (type == ZEC_A_DEV_PORT ||
					    type == ZEC_A_DEV_NODE ||
					    type == ZEC_A_DEV_STATS ||
					    type == ZEC_A_DEV_EVENT ||
					    type == ZEC_A_DEV_RATE ||
					    type == ZEC_A_DEV_PROBE)) ||
			  (space == PORT && (type == ZEC_A_PORT_STATS ||
					     type == ZEC_A_PORT_RATE)))) {
		put_nest(nlh, type, nest_space(space, type), depth);
		return;
	}
	if ((space == DEV && type == ZEC_A_DEV_IFINDEX) ||
	    (space == PORT && type == ZEC_A_PORT_IFINDEX))
		mnl_attr_put_u32(nlh, type, pick_ifindex());
	else if ((space == DEV && type == ZEC_A_DEV_IFNAME) ||
		 (space == PORT && type == ZEC_A_PORT_IFNAME))
		put_name(nlh, type);
	else if (space == PORT && type == ZEC_A_PORT_ENABLED)
		mnl_attr_put_u8(nlh, type, rnd(3) ? rnd(2) : rnd(256));
	else if (space == PORT && type == ZEC_A_PORT_NODE_AUTO)
		mnl_attr_put(nlh, type, 0, NULL);
	else if (space == PROBE && (type == ZEC_A_PROBE_TARGET_IPV4 ||
				    type == ZEC_A_PROBE_TARGET_IPV6))
		put_target(nlh, type);
	else if (space == RATE && (type == ZEC_A_RATE_BPS ||
				   type == ZEC_A_RATE_PPS))
		mnl_attr_put_u64(nlh, type, pick_rate(type));
	else if (!rnd(8))
		mnl_attr_put_u64(nlh, type, rnd64());
	else
		mnl_attr_put_u32(nlh, type, pick_u32());
}

static void put_attrs(struct nlmsghdr *nlh, enum space space, int depth)
{
	unsigned int i, n = rnd(space == DEV ? 6 : 5);

	/* most requests name a device, as the real ones do */
	if (space == DEV && rnd(4)) {
		if (rnd(2))
			mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, pick_ifindex());
		else
			put_name(nlh, ZEC_A_DEV_IFNAME);
	}
	for (i = 0; i < n; i++)
		put_attr(nlh, space, depth);
}

static uint8_t pick_cmd(void)
{
	return rnd(4) ? rnd(ZEC_CMD_MAX + 3) : rnd(256);
}

/* A name of a zec device most of the time, else of any link. */
static const char *pick_dev(void)
{
	unsigned int i, tries;

	for (tries = 0; nr_links && tries < 8; tries++) {
		i = rnd(nr_links);
		if (!strncmp(links[i].if_name, "zec", 3) || tries == 7)
			return links[i].if_name;
	}
	return "zec0";
}

/* A rate cap the policy accepts; the burst may be below one frame. */
static void valid_rate(struct nlmsghdr *nlh)
{
	static const uint32_t bursts[] = { 0, 1000, 1514, 9014, 65536, 1 << 20 };
	struct nlattr *nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_RATE);
	unsigned int what = 1 + rnd(7);	/* percent, bit/s, packet/s */

	if (what & 1)
		mnl_attr_put_u32(nlh, ZEC_A_RATE_PERCENT, 1 + rnd(100));
	if (what & 2)
		mnl_attr_put_u64(nlh, ZEC_A_RATE_BPS,
				 ZEC_RATE_BPS_MIN + rnd64() % 10000000000ULL);
	if (what & 4)
		mnl_attr_put_u64(nlh, ZEC_A_RATE_PPS, 1 + rnd(1000000));
	if (rnd(2))
		mnl_attr_put_u32(nlh, ZEC_A_RATE_BURST,
				 bursts[rnd(sizeof(bursts) / sizeof(bursts[0]))]);
	if (rnd(2))
		mnl_attr_put_u32(nlh, ZEC_A_RATE_MODE, rnd(ZEC_RATE_MODE_MAX + 1));
	mnl_attr_nest_end(nlh, nest);
}

/* A probe configuration the policy accepts, damping or not. */
static void valid_probe(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PROBE);
	unsigned int i, targets = 1 + rnd(3);

	for (i = 0; i < targets; i++)
		put_target(nlh, rnd(2) ? ZEC_A_PROBE_TARGET_IPV4 :
					 ZEC_A_PROBE_TARGET_IPV6);
	mnl_attr_put_u32(nlh, ZEC_A_PROBE_INTERVAL_MS,
			 ZEC_PROBE_INTERVAL_MS_MIN + rnd(1000));
	if (rnd(2))
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_MISS_COUNT,
				 1 + rnd(ZEC_PROBE_COUNT_MAX));
	if (rnd(2))
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_RECOVER_COUNT,
				 1 + rnd(ZEC_PROBE_COUNT_MAX));
	if (rnd(3)) {
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_COUNT,
				 rnd(ZEC_PROBE_DAMP_COUNT_MAX + 1));
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_WINDOW_MS,
				 1 + rnd(60000));
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_HOLD_MS,
				 1 + rnd(10000));
	}
	mnl_attr_nest_end(nlh, nest);
}

/* The commands a request may carry (not the notifications). */
static const uint8_t request_cmds[] = {
	ZEC_CMD_DEV_GET, ZEC_CMD_DEV_SET, ZEC_CMD_PORT_ADD, ZEC_CMD_PORT_DEL,
	ZEC_CMD_PORT_SET, ZEC_CMD_STATS_GET, ZEC_CMD_RATE_SET, ZEC_CMD_RATE_DEL,
	ZEC_CMD_PROBE_SET, ZEC_CMD_PROBE_DEL,
};

/*
 * A request the policies accept, so that the commands themselves run:
 * mode, up delay and garp changes, ports added, removed, moved between
 * devices and nodes, enabled and disabled, rate caps of devices and ports
 * set and removed, probing started and stopped, gets and dumps.
 */
static void valid_one(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *nest;
	int port;

	g->cmd = request_cmds[rnd(sizeof(request_cmds) / sizeof(request_cmds[0]))];
	if ((g->cmd == ZEC_CMD_DEV_GET || g->cmd == ZEC_CMD_STATS_GET) &&
	    rnd(2)) {
		nlh->nlmsg_flags |= NLM_F_DUMP;
		return;
	}
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, pick_dev());
	if (g->cmd == ZEC_CMD_DEV_SET) {
		if (rnd(2))
			mnl_attr_put_u32(nlh, ZEC_A_DEV_MODE, rnd(ZEC_MODE_MAX + 1));
		if (rnd(2))
			mnl_attr_put_u32(nlh, ZEC_A_DEV_UP_DELAY_MS,
					 rnd(4) ? rnd(1000) : ZEC_UP_DELAY_MS_MAX);
		if (rnd(2))
			mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT,
					 rnd(ZEC_GARP_COUNT_MAX + 1));
		return;
	}
	if (g->cmd == ZEC_CMD_PROBE_SET)
		valid_probe(nlh);
	/* a rate cap is the device default or a port's own */
	port = g->cmd == ZEC_CMD_PORT_ADD || g->cmd == ZEC_CMD_PORT_DEL ||
	       g->cmd == ZEC_CMD_PORT_SET ||
	       ((g->cmd == ZEC_CMD_RATE_SET || g->cmd == ZEC_CMD_RATE_DEL) &&
		rnd(2));
	if (g->cmd == ZEC_CMD_RATE_SET)
		valid_rate(nlh);
	if (!port)
		return;
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
	if (rnd(2) && nr_links)
		mnl_attr_put_u32(nlh, ZEC_A_PORT_IFINDEX,
				 links[rnd(nr_links)].if_index);
	else if (nr_links)
		mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME,
				  links[rnd(nr_links)].if_name);
	if (g->cmd == ZEC_CMD_PORT_ADD || g->cmd == ZEC_CMD_PORT_SET) {
		if (!rnd(3))
			mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE_OVERRIDE, rnd(4));
		else if (!rnd(2) && g->cmd == ZEC_CMD_PORT_SET)
			mnl_attr_put(nlh, ZEC_A_PORT_NODE_AUTO, 0, NULL);
		if (rnd(2))
			mnl_attr_put_u8(nlh, ZEC_A_PORT_ENABLED, rnd(2));
	}
	mnl_attr_nest_end(nlh, nest);
}

/* Build one message in buf; returns how many bytes to send. */
static size_t fuzz_one(char *buf, uint16_t family)
{
	struct nlmsghdr *nlh = request(buf, family, pick_cmd());
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	size_t len, i;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (rnd(2)) {
		valid_one(nlh);
		return nlh->nlmsg_len;
	}
	if (!rnd(4))
		nlh->nlmsg_flags |= rnd(2) ? NLM_F_DUMP : NLM_F_ROOT;
	if (!rnd(64))
		nlh->nlmsg_flags ^= 1 << rnd(16);
	if (!rnd(8))
		g->version = rnd(256);
	if (!rnd(16))
		g->reserved = rnd(65536);
	put_attrs(nlh, DEV, 0);
	len = nlh->nlmsg_len;
	switch (rnd(32)) {
	case 0:
	case 3:	/* flip bytes past the netlink header */
		for (i = rnd(4) + 1; i; i--)
			((unsigned char *)buf)[sizeof(*nlh) +
				rnd(len - sizeof(*nlh))] ^= 1 << rnd(8);
		break;
	case 1:	/* truncated: the header says, and we send, less */
		len = nlh->nlmsg_len = rnd(len);
		break;
	case 2:	/* the header claims more than is sent */
		nlh->nlmsg_len += rnd(64) + 1;
		break;
	}
	return len;
}

/*
 * Attributes tile [p, p + len) exactly, and so do those of every nest
 * (the kernel flags its nests NLA_F_NESTED).
 */
static int wellformed(const void *p, size_t len)
{
	const struct nlattr *a;

	while (len) {
		a = p;
		if (len < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > len)
			return 0;
		if (a->nla_type & NLA_F_NESTED &&
		    !wellformed(a + 1, a->nla_len - sizeof(*a)))
			return 0;
		if ((size_t)MNL_ALIGN(a->nla_len) >= len)
			break;
		len -= MNL_ALIGN(a->nla_len);
		p = (const char *)p + MNL_ALIGN(a->nla_len);
	}
	return 1;
}

struct census {
	uint16_t family;
	unsigned int msgs, ports, malformed, interrupted;
};

/* Counts the messages and ports of a reply; checks its shape. */
static int census_cb(const struct nlmsghdr *nlh, void *data)
{
	struct census *c = data;
	const struct nlattr *a;
	size_t hdr = NLMSG_LENGTH(GENL_HDRLEN);

	if (nlh->nlmsg_type != c->family || nlh->nlmsg_len < hdr ||
	    !wellformed((const char *)nlh + hdr, nlh->nlmsg_len - hdr)) {
		c->malformed++;
		return 0;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		c->interrupted++;
	c->msgs++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == ZEC_A_DEV_PORT)
			c->ports++;
	return 0;
}

/* Every command that changes state: all requests but the gets. */
static int is_change(uint8_t cmd)
{
	unsigned int i;

	for (i = 0; i < sizeof(request_cmds) / sizeof(request_cmds[0]); i++)
		if (request_cmds[i] == cmd)
			return cmd != ZEC_CMD_DEV_GET && cmd != ZEC_CMD_STATS_GET;
	return 0;
}

static int fuzz(uint16_t family, uint64_t seed, unsigned long count,
		int unprivileged)
{
	static char buf[FUZZ_BUF_SIZE];
	unsigned long i, acked = 0, refused = 0, silent = 0, changes = 0;
	unsigned long changed[256] = { 0 };	/* changes by command */
	struct census c = { .family = family };
	char detail[400];
	size_t n;
	int err;

	printf("seed %llu count %lu\n", (unsigned long long)seed, count);
	fflush(stdout);
	rng_state = seed;
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh = (void *)buf;
		struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
		size_t len = fuzz_one(buf, family);
		/* what the kernel will take it for */
		int whole = len >= NLMSG_LENGTH(GENL_HDRLEN) &&
			    nlh->nlmsg_len == len &&
			    nlh->nlmsg_flags & NLM_F_REQUEST;
		uint8_t cmd = g->cmd;

		err = transact_raw(nlh, len, census_cb, &c);
		if (err == -EAGAIN) {
			silent++;
		} else if (err) {
			refused++;
		} else {
			acked++;
			if (whole && is_change(cmd)) {
				changes++;
				changed[cmd]++;
			}
		}
		if (err > 0 || err < -4095) {
			snprintf(detail, sizeof(detail),
				 "message %lu: error %d", i, err);
			report(0, "kernel error codes are errnos", detail);
		}
	}
	n = snprintf(detail, sizeof(detail),
		     "%lu messages: %lu acked (%lu changes), %lu refused, %lu ignored; %u replies; changes by command:",
		     count, acked, changes, refused, silent, c.msgs);
	for (i = 0; i < sizeof(request_cmds) / sizeof(request_cmds[0]); i++)
		if (is_change(request_cmds[i]) && n < sizeof(detail))
			n += snprintf(detail + n, sizeof(detail) - n, " %u:%lu",
				      request_cmds[i], changed[request_cmds[i]]);
	report(!c.malformed, "every reply well-formed", detail);
	if (unprivileged) {
		snprintf(detail, sizeof(detail), "%lu changes accepted", changes);
		report(!changes, "no change accepted without CAP_NET_ADMIN",
		       detail);
	}
	return failures != 0;
}

static int dump(uint16_t family, unsigned int devices, unsigned int ports)
{
	static const uint8_t cmds[] = { ZEC_CMD_DEV_GET, ZEC_CMD_STATS_GET };
	char buf[MNL_SOCKET_BUFFER_SIZE], detail[200];
	struct census c;
	unsigned int i, tries;
	int err;

	for (i = 0; i < 2; i++) {
		for (tries = 0; tries < 8; tries++) {
			struct nlmsghdr *nlh = request(buf, family, cmds[i]);

			nlh->nlmsg_flags |= NLM_F_DUMP;
			memset(&c, 0, sizeof(c));
			c.family = family;
			err = transact_raw(nlh, nlh->nlmsg_len, census_cb, &c);
			if (!c.interrupted)
				break;
		}
		snprintf(detail, sizeof(detail),
			 "%s: %s, %u devices, %u ports (want %u, %u), %u malformed, %u tries",
			 i ? "STATS_GET" : "DEV_GET", strerror(-err), c.msgs,
			 c.ports, devices, ports, c.malformed, tries + 1);
		report(!err && !c.malformed && !c.interrupted &&
		       c.msgs == devices && c.ports == ports, "dump", detail);
	}
	return failures != 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: nlfuzz fuzz [-s SEED] [-n COUNT] [-u]\n"
			"       nlfuzz dump DEVICES PORTS\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	unsigned long count = 10000;
	int unprivileged = 0, opt, err;
	uint16_t family;

	if (argc < 2)
		return usage();
	err = nl_open(20);
	if (err)
		return fprintf(stderr, "netlink: %s\n", strerror(-err)), 1;
	family = family_id();
	if (!family)
		return fprintf(stderr, "no family %s\n", ZEC_GENL_NAME), 1;
	if (!strcmp(argv[1], "dump") && argc == 4)
		return dump(family, atoi(argv[2]), atoi(argv[3]));
	if (strcmp(argv[1], "fuzz"))
		return usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "s:n:u")) != -1) {
		if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			count = strtoul(optarg, NULL, 0);
		else if (opt == 'u')
			unprivileged = 1;
		else
			return usage();
	}
	links = if_nameindex();
	while (links && links[nr_links].if_index)
		nr_links++;
	return fuzz(family, seed, count, unprivileged);
}
