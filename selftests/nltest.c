// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-guest helper of selftests/zec/netlink.sh for what zecctl cannot do:
 *
 *   nltest malformed DEV PORT  send malformed requests of family zec, each
 *                              must fail with the expected errno and leave
 *                              DEV's generation alone; one line per case
 *   nltest resync DEV PORT     listen with a tiny receive buffer, flood
 *                              events by toggling PORT, then read: libzec
 *                              must report ZEC_EVENT_RESYNC, and the last
 *                              generation read must be the device's
 *   nltest devset-probe DEV -  DEV_SET with a probe nest must be refused,
 *                              with its extack text, and change nothing
 *   nltest dump-skip PREFIX VICTIM
 *                              start a STATS_GET dump, delete VICTIM
 *                              before its second part: a device that
 *                              stayed (name PREFIX*) and is missing must
 *                              come with NLM_F_DUMP_INTR
 *   nltest dump-loop PREFIX SECONDS
 *                              dump again and again while something else
 *                              creates and deletes PREFIX* devices: the
 *                              same for every dump, pausing 50 ms
 *                              before each part
 *
 * Prints "ok ..." / "FAIL ..." lines and exits 0 only if all passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <zec/zec.h>

#include "nlhelp.h"

static uint32_t generation(struct zec_handle *h, const char *dev)
{
	struct zec_device d = { .sz = sizeof(d) };
	uint32_t gen;

	if (zec_device_get(h, dev, &d))
		return 0;
	gen = d.generation;
	zec_device_free(&d);
	return gen;
}

enum shape {
	NO_DEVICE, BOTH_NAMES, LONG_NAME, NOT_ZEC, BAD_MODE, BAD_UP_DELAY,
	BAD_GARP, SHORT_U32, REPLY_ONLY, UNKNOWN_ATTR, NO_PORT, PORT_BOTH,
	BAD_NODE, NODE_AND_AUTO, BAD_ENABLED, NTF_CMD, NOT_A_PORT, BAD_BPS,
	BAD_PPS, LONE_DAMP_WINDOW,
};

static const struct {
	enum shape shape;
	uint8_t cmd;
	int err;
	const char *name;
} cases[] = {
	{ NO_DEVICE, ZEC_CMD_DEV_SET, -EINVAL, "no device named" },
	{ BOTH_NAMES, ZEC_CMD_DEV_SET, -EINVAL, "both ifindex and ifname" },
	{ LONG_NAME, ZEC_CMD_DEV_SET, -EINVAL, "ifname longer than IFNAMSIZ" },
	{ NOT_ZEC, ZEC_CMD_DEV_GET, -EOPNOTSUPP, "device lo is not zec" },
	{ BAD_MODE, ZEC_CMD_DEV_SET, -ERANGE, "mode out of range" },
	{ BAD_UP_DELAY, ZEC_CMD_DEV_SET, -ERANGE, "up delay out of range" },
	{ BAD_GARP, ZEC_CMD_DEV_SET, -ERANGE, "garp count out of range" },
	{ SHORT_U32, ZEC_CMD_DEV_SET, -EINVAL, "u32 attribute of 1 byte" },
	{ REPLY_ONLY, ZEC_CMD_DEV_SET, -EINVAL, "reply-only generation in request" },
	{ UNKNOWN_ATTR, ZEC_CMD_DEV_SET, -EINVAL, "attribute type above max" },
	{ NO_PORT, ZEC_CMD_PORT_SET, -EINVAL, "port command without port" },
	{ PORT_BOTH, ZEC_CMD_PORT_SET, -EINVAL, "port by ifindex and ifname" },
	{ BAD_NODE, ZEC_CMD_PORT_SET, -ERANGE, "node override out of range" },
	{ NODE_AND_AUTO, ZEC_CMD_PORT_SET, -EINVAL, "node override with auto" },
	{ BAD_ENABLED, ZEC_CMD_PORT_SET, -ERANGE, "enabled of 2" },
	{ NTF_CMD, ZEC_CMD_FAILOVER_NTF, -EOPNOTSUPP, "notification as request" },
	{ NOT_A_PORT, ZEC_CMD_PORT_DEL, -ENOENT, "port lo is not a port" },
	{ BAD_BPS, ZEC_CMD_RATE_SET, -ERANGE, "rate above 10 Tbit/s" },
	{ BAD_PPS, ZEC_CMD_RATE_SET, -ERANGE, "rate of 0 packets/s" },
	{ LONE_DAMP_WINDOW, ZEC_CMD_PROBE_SET, -EINVAL,
	  "damping window without count and hold" },
};

static void build(struct nlmsghdr *nlh, enum shape shape, const char *dev,
		  const char *port)
{
	struct nlattr *nest;
	uint8_t one = 1;

	switch (shape) {
	case NO_DEVICE:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT, 1);
		return;
	case BOTH_NAMES:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_IFINDEX, if_nametoindex(dev));
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, dev);
		return;
	case LONG_NAME:
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "zec0-this-is-far-too-long");
		return;
	case NOT_ZEC:
		mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, "lo");
		return;
	default:
		break;
	}
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, dev);
	switch (shape) {
	case BAD_MODE:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_MODE, ZEC_MODE_MAX + 1);
		break;
	case BAD_UP_DELAY:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_UP_DELAY_MS, ZEC_UP_DELAY_MS_MAX + 1);
		break;
	case BAD_GARP:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT, ZEC_GARP_COUNT_MAX + 1);
		break;
	case SHORT_U32:
		mnl_attr_put(nlh, ZEC_A_DEV_GARP_COUNT, 1, &one);
		break;
	case REPLY_ONLY:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_GENERATION, 0);
		break;
	case UNKNOWN_ATTR:
		mnl_attr_put_u32(nlh, ZEC_A_DEV_MAX + 1, 0);
		break;
	case NO_PORT:
	case NTF_CMD:
		break;
	case BAD_BPS:
	case BAD_PPS:
		nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_RATE);
		if (shape == BAD_BPS)
			mnl_attr_put_u64(nlh, ZEC_A_RATE_BPS,
					 ZEC_RATE_BPS_MAX + 1);
		else
			mnl_attr_put_u64(nlh, ZEC_A_RATE_PPS, 0);
		mnl_attr_nest_end(nlh, nest);
		break;
	case LONE_DAMP_WINDOW:
		nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PROBE);
		/* 192.0.2.10 */
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_TARGET_IPV4, htonl(0xc000020a));
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_INTERVAL_MS, 20);
		mnl_attr_put_u32(nlh, ZEC_A_PROBE_DAMP_WINDOW_MS, 1000);
		mnl_attr_nest_end(nlh, nest);
		break;
	default:
		nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PORT);
		mnl_attr_put_strz(nlh, ZEC_A_PORT_IFNAME,
				  shape == NOT_A_PORT ? "lo" : port);
		if (shape == PORT_BOTH)
			mnl_attr_put_u32(nlh, ZEC_A_PORT_IFINDEX,
					 if_nametoindex(port));
		if (shape == BAD_NODE || shape == NODE_AND_AUTO)
			mnl_attr_put_u32(nlh, ZEC_A_PORT_NODE_OVERRIDE,
					 shape == BAD_NODE ? ZEC_NODE_ID_MAX + 1 : 0);
		if (shape == NODE_AND_AUTO)
			mnl_attr_put(nlh, ZEC_A_PORT_NODE_AUTO, 0, NULL);
		if (shape == BAD_ENABLED)
			mnl_attr_put_u8(nlh, ZEC_A_PORT_ENABLED, 2);
		mnl_attr_nest_end(nlh, nest);
	}
}

static int malformed(struct zec_handle *h, const char *dev, const char *port)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], detail[400];
	uint32_t before = generation(h, dev), after;
	uint16_t id;
	size_t i;
	int err;

	err = nl_open(0);
	if (err)
		return fprintf(stderr, "netlink: %s\n", strerror(-err)), 1;
	id = family_id();
	if (!id || !before)
		return fprintf(stderr, "no family or no %s\n", dev), 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = request(buf, id, cases[i].cmd);

		build(nlh, cases[i].shape, dev, port);
		err = transact(nlh);
		snprintf(detail, sizeof(detail), "%s (want %s) \"%s\"",
			 strerror(-err), strerror(-cases[i].err), extack);
		/* the genetlink core refuses unknown commands without words */
		report(err == cases[i].err &&
		       (extack[0] || cases[i].shape == NTF_CMD),
		       cases[i].name, detail);
	}
	after = generation(h, dev);
	snprintf(detail, sizeof(detail), "%u -> %u", before, after);
	report(before == after, "generation unchanged", detail);
	mnl_socket_close(sock);
	return failures != 0;
}

static int resync(struct zec_handle *h, const char *dev, const char *port)
{
	struct zec_port_config off = { ZEC_PORT_SET_ENABLED, 0, false };
	struct zec_port_config on = { ZEC_PORT_SET_ENABLED, 0, true };
	int fd = zec_event_fd(h), tiny = 1, i, n, resyncs = 0, total = 0;
	struct zec_handle *ctl;
	struct zec_event evs[16] = { { .sz = sizeof(evs[0]) } };
	uint32_t last = 0;
	char detail[100];

	if (fd < 0 || zec_open(&ctl))
		return fprintf(stderr, "cannot listen: %s\n", strerror(-fd)), 1;
	/* the kernel rounds it up to its minimum, a couple of messages */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny));
	for (i = 0; i < 100; i++) {
		if (zec_port_set(ctl, dev, port, i % 2 ? &on : &off))
			return fprintf(stderr, "port set: %s\n",
				       zec_last_error(ctl)), 1;
	}
	if (zec_port_set(ctl, dev, port, &on))
		return 1;
	while ((n = zec_event_read(h, evs, 16)) > 0) {
		for (i = 0; i < n; i++) {
			total++;
			if (evs[i].type == ZEC_EVENT_RESYNC)
				resyncs++;
			else
				last = evs[i].generation;
		}
	}
	snprintf(detail, sizeof(detail), "%d events, %d resyncs", total,
		 resyncs);
	report(resyncs > 0, "overrun reported as resync", detail);

	/* The next change is delivered, and says where the device is now. */
	last = 0;
	if (zec_port_set(ctl, dev, port, &off))
		return 1;
	while ((n = zec_event_read(h, evs, 16)) > 0)
		for (i = 0; i < n; i++)
			if (evs[i].type != ZEC_EVENT_RESYNC)
				last = evs[i].generation;
	snprintf(detail, sizeof(detail), "last event %u, device %u", last,
		 generation(ctl, dev));
	report(last && last == generation(ctl, dev),
	       "events flow again after the resync", detail);
	zec_port_set(ctl, dev, port, &on);
	zec_close(ctl);
	return failures != 0;
}

static int devset_probe(struct zec_handle *h, const char *dev)
{
	static const char want[] =
		"Ports, rate caps and probes have commands of their own";
	char buf[MNL_SOCKET_BUFFER_SIZE], detail[400];
	uint32_t before = generation(h, dev), after;
	struct zec_device d = { .sz = sizeof(d) };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int err;

	if (nl_open(0) || zec_device_get(h, dev, &d))
		return fprintf(stderr, "netlink or no %s\n", dev), 1;
	zec_device_free(&d);
	nlh = request(buf, family_id(), ZEC_CMD_DEV_SET);
	mnl_attr_put_strz(nlh, ZEC_A_DEV_IFNAME, dev);
	mnl_attr_put_u32(nlh, ZEC_A_DEV_GARP_COUNT, 3);
	nest = mnl_attr_nest_start(nlh, ZEC_A_DEV_PROBE);
	/* 192.0.2.10 */
	mnl_attr_put_u32(nlh, ZEC_A_PROBE_TARGET_IPV4, htonl(0xc000020a));
	mnl_attr_put_u32(nlh, ZEC_A_PROBE_INTERVAL_MS, 100);
	mnl_attr_nest_end(nlh, nest);
	err = transact(nlh);
	snprintf(detail, sizeof(detail), "%s \"%s\"", strerror(-err), extack);
	report(err == -EINVAL && !strcmp(extack, want),
	       "DEV_SET with a probe nest refused", detail);
	after = generation(h, dev);
	snprintf(detail, sizeof(detail), "%u -> %u", before, after);
	report(before == after, "generation unchanged", detail);
	err = zec_device_get(h, dev, &d);
	report(!err && d.config->garp_count != 3 && !d.probe,
	       "neither garp count nor probe applied", NULL);
	if (!err)
		zec_device_free(&d);
	mnl_socket_close(sock);
	return failures != 0;
}

#define DUMP_MAX	4096

struct dump {
	unsigned int seen[DUMP_MAX];	/* ifindexes the dump listed */
	int nr_seen;
	int first;			/* devices in its first part */
	int intr;			/* some message had NLM_F_DUMP_INTR */
};

/* The ifindexes of the interfaces named PREFIX*, into @idx. */
static int prefixed(const char *prefix, unsigned int *idx)
{
	struct if_nameindex *all = if_nameindex(), *p;
	int n = 0;

	for (p = all; p && p->if_index && n < DUMP_MAX; p++)
		if (!strncmp(p->if_name, prefix, strlen(prefix)))
			idx[n++] = p->if_index;
	if_freenameindex(all);
	return n;
}

static int dump_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == ZEC_A_DEV_IFINDEX)
		*(unsigned int *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/*
 * A STATS_GET dump, its parts one recv each. The first part is built
 * while the request is sent, the next ones as the previous is read: a
 * VICTIM deleted after sending falls between the first two parts. A
 * pause of gap_us before reading each part gives a change made meanwhile
 * by someone else a chance to fall between two parts too.
 */
static int dump_once(uint16_t id, const char *victim, unsigned int gap_us,
		     struct dump *d)
{
	static char buf[NL_RECV_SIZE];
	char req[MNL_SOCKET_BUFFER_SIZE], cmd[64];
	const struct nlmsghdr *r;
	struct nlmsghdr *nlh;
	int n, part;

	memset(d, 0, sizeof(*d));
	nlh = request(req, id, ZEC_CMD_STATS_GET);
	nlh->nlmsg_flags |= NLM_F_DUMP;
	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	if (victim) {
		snprintf(cmd, sizeof(cmd), "ip link del %s", victim);
		if (system(cmd))
			return -ENODEV;
	}
	for (part = 0;; part++) {
		usleep(gap_us);
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		for (r = (void *)buf; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
			unsigned int ifindex = 0;

			if (r->nlmsg_seq != seq)
				continue;
			if (r->nlmsg_flags & NLM_F_DUMP_INTR)
				d->intr = 1;
			if (r->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
			if (r->nlmsg_type == NLMSG_DONE)
				return 0;
			mnl_attr_parse(r, sizeof(struct genlmsghdr), dump_attr,
				       &ifindex);
			if (d->nr_seen < DUMP_MAX)
				d->seen[d->nr_seen++] = ifindex;
			if (!part)
				d->first++;
		}
	}
}

static int listed(const unsigned int *idx, int n, unsigned int ifindex)
{
	while (n--)
		if (idx[n] == ifindex)
			return 1;
	return 0;
}

/*
 * One dump: the PREFIX* devices there before and after it (same ifindex:
 * the same device) that it did not list. Returns their count, -errno.
 */
static int dump_check(uint16_t id, const char *prefix, const char *victim,
		      unsigned int gap_us, struct dump *d, char *detail,
		      size_t len)
{
	static unsigned int before[DUMP_MAX], after[DUMP_MAX];
	int nb = prefixed(prefix, before), na, i, missing = 0, err;

	err = dump_once(id, victim, gap_us, d);
	if (err)
		return err;
	na = prefixed(prefix, after);
	detail[0] = 0;
	for (i = 0; i < nb; i++) {
		if (!listed(after, na, before[i]) ||
		    listed(d->seen, d->nr_seen, before[i]))
			continue;
		if (!missing++)
			snprintf(detail, len, "ifindex %u missing", before[i]);
	}
	return missing;
}

static int dump_skip(const char *prefix, const char *victim)
{
	char detail[200], what[300];
	struct dump d;
	int missing;

	if (nl_open(0))
		return 1;
	missing = dump_check(family_id(), prefix, victim, 0, &d, detail,
			     sizeof(detail));
	if (missing < 0)
		return fprintf(stderr, "dump: %s\n", strerror(-missing)), 1;
	snprintf(what, sizeof(what), "%d devices, %d in the first part",
		 d.nr_seen, d.first);
	report(d.first < d.nr_seen, "the dump came in several parts", what);
	snprintf(what, sizeof(what), "%d missing (%s), intr %d", missing,
		 detail, d.intr);
	report(!missing || d.intr, "a device skipped is flagged NLM_F_DUMP_INTR",
	       what);
	mnl_socket_close(sock);
	return failures != 0;
}

static int dump_loop(const char *prefix, int seconds)
{
	int dumps = 0, parted = 0, intr = 0, unflagged = 0, missing;
	time_t end = time(NULL) + seconds;
	char detail[200], what[300] = "";
	uint16_t id;
	struct dump d;

	if (nl_open(0) || !(id = family_id()))
		return 1;
	while (time(NULL) < end) {
		missing = dump_check(id, prefix, NULL, 50000, &d, detail,
				     sizeof(detail));
		if (missing < 0)
			return fprintf(stderr, "dump: %s\n", strerror(-missing)), 1;
		dumps++;
		parted += d.first < d.nr_seen;
		intr += d.intr;
		if (missing && !d.intr && !unflagged++)
			snprintf(what, sizeof(what), "dump %d: %s", dumps,
				 detail);
	}
	snprintf(detail, sizeof(detail), "%d dumps, %d in several parts, %d interrupted",
		 dumps, parted, intr);
	report(parted > 0 && intr > 0, "dumps in parts, some interrupted", detail);
	report(!unflagged, "no device skipped without NLM_F_DUMP_INTR", what);
	mnl_socket_close(sock);
	return failures != 0;
}

int main(int argc, char **argv)
{
	struct zec_handle *h;
	int ret;

	if (argc != 4 || zec_open(&h)) {
		fprintf(stderr, "usage: nltest malformed|resync DEV PORT\n"
			"       nltest devset-probe DEV -\n"
			"       nltest dump-skip PREFIX VICTIM\n"
			"       nltest dump-loop PREFIX SECONDS\n");
		return 2;
	}
	if (!strcmp(argv[1], "malformed"))
		ret = malformed(h, argv[2], argv[3]);
	else if (!strcmp(argv[1], "devset-probe"))
		ret = devset_probe(h, argv[2]);
	else if (!strcmp(argv[1], "dump-skip"))
		ret = dump_skip(argv[2], argv[3]);
	else if (!strcmp(argv[1], "dump-loop"))
		ret = dump_loop(argv[2], atoi(argv[3]));
	else
		ret = resync(h, argv[2], argv[3]);
	zec_close(h);
	return ret;
}
